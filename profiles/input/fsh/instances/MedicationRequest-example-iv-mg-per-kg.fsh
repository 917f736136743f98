Instance: ExampleIvPrescription
InstanceOf: KapKetaminePrescription
Title: "Example IV ketamine prescription in mg/kg"
Description: "Racemic ketamine 0.5 mg/kg intravenously over 40 minutes, at most once every 3 days, six sessions: the dose in doseAndRate (UCUM mg/kg) and, for one release, in kap-dose-per-body-weight; the written sig in dosageInstruction.text."
Usage: #example
* insert ExampleClinicId(rx-iv)
* contained[0] = ExampleKetamineInjection
* extension[sessionCount].valuePositiveInt = 6
* status = #active
* intent = #order
* medicationReference = Reference(ExampleKetamineInjection)
* subject = Reference(ExamplePatient)
* requester = Reference(ExamplePrescriber)
* authoredOn = "2026-04-01"
* dosageInstruction[0].extension[dosePerBodyWeight].valueQuantity = 0.5 'mg/kg' "mg/kg"
* dosageInstruction[0].text = "Ketamine 0.5 mg/kg intravenous over 40 minutes, once per dosing session, at most once every 3 days, 6 sessions"
* dosageInstruction[0].maxDosePerPeriod.numerator = 0.5 'mg/kg' "mg/kg"
* dosageInstruction[0].maxDosePerPeriod.denominator = 3 'd' "d"
* dosageInstruction[0].route = $sct#47625008 "Intravenous route"
* dosageInstruction[0].doseAndRate[0].doseQuantity = 0.5 'mg/kg' "mg/kg"
* dispenseRequest.validityPeriod.start = "2026-04-01"
* dispenseRequest.validityPeriod.end = "2026-06-30"
