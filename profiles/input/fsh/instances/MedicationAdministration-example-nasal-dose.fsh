Instance: ExampleAdministration
InstanceOf: KapKetamineAdministration
Title: "Example esketamine dose"
Description: "56 mg esketamine nasal spray given in the dosing session."
Usage: #example
* insert ExampleClinicId(session-dosing-1)
* extension[lotNumber].valueString = "LOT-EXAMPLE-001"
* status = #completed
* medicationCodeableConcept = $rxnorm#2201625 "esketamine Nasal Spray [Spravato]"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleDosingEncounter)
* effectiveDateTime = "2026-03-02T09:15:00Z"
* performer[0].actor = Reference(ExamplePrescriber)
* request = Reference(ExamplePrescription)
* supportingInformation = Reference(ExampleBodyWeight)
* dosage.extension[dosePerBodyWeight].valueQuantity = 0.77 'mg/kg' "mg/kg"
* dosage.route = $sct#46713006 "Nasal route"
* dosage.dose = 56 'mg' "mg"
