Instance: ExampleLozengePrescription
InstanceOf: KapKetaminePrescription
Title: "Example ketamine lozenge prescription"
Description: "Compounded racemic ketamine 100 mg lozenges held sublingually, four dosing sessions; the product is a contained Medication."
Usage: #example
* insert ExampleClinicId(rx-lozenge)
* contained[0] = ExampleKetamineLozenge
* extension[sessionCount].valuePositiveInt = 4
* status = #active
* intent = #order
* medicationReference = Reference(ExampleKetamineLozenge)
* subject = Reference(ExamplePatient)
* requester = Reference(ExamplePrescriber)
* authoredOn = "2026-04-01"
* dosageInstruction[0].text = "Ketamine 100 mg lozenge (troche) sublingual, once per dosing session, 4 sessions"
* dosageInstruction[0].route = $sct#37839007 "Sublingual route"
* dosageInstruction[0].doseAndRate[0].doseQuantity = 100 'mg' "mg"
* dispenseRequest.validityPeriod.start = "2026-04-01"
* dispenseRequest.validityPeriod.end = "2026-06-30"
