Instance: ExamplePrescription
InstanceOf: KapKetaminePrescription
Title: "Example esketamine prescription"
Description: "Esketamine nasal spray 56 mg, eight dosing sessions."
Usage: #example
* insert ExampleClinicId(rx-example)
* extension[sessionCount].valuePositiveInt = 8
* status = #active
* intent = #order
* medicationCodeableConcept = $rxnorm#2201625 "esketamine Nasal Spray [Spravato]"
* subject = Reference(ExamplePatient)
* requester = Reference(ExamplePrescriber)
* authoredOn = "2026-02-20"
* dosageInstruction[0].text = "Esketamine 56 mg nasal spray (2 devices) intranasal, once per dosing session, at most once every 3 days, 8 sessions"
* dosageInstruction[0].maxDosePerPeriod.numerator = 56 'mg' "mg"
* dosageInstruction[0].maxDosePerPeriod.denominator = 3 'd' "d"
* dosageInstruction[0].route = $sct#46713006 "Nasal route"
* dosageInstruction[0].doseAndRate[0].doseQuantity = 56 'mg' "mg"
* dispenseRequest.validityPeriod.start = "2026-02-20"
* dispenseRequest.validityPeriod.end = "2026-05-20"
