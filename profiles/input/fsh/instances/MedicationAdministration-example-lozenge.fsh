Instance: ExampleLozengeDose
InstanceOf: KapKetamineAdministration
Title: "Example ketamine lozenge dose"
Description: "One 100 mg compounded ketamine lozenge held sublingually: the product (form, strength) is a contained Medication, so a receiver can tell a lozenge from an IV dose."
Usage: #example
* insert ExampleClinicId(session-lozenge-1)
* contained[0] = ExampleKetamineLozenge
* status = #completed
* medicationReference = Reference(ExampleKetamineLozenge)
* subject = Reference(ExamplePatient)
* context = Reference(ExampleLozengeEncounter)
* effectiveDateTime = "2026-04-06T09:10:00Z"
* performer[0].actor = Reference(ExamplePrescriber)
* request = Reference(ExampleLozengePrescription)
* dosage.route = $sct#37839007 "Sublingual route"
* dosage.dose = 100 'mg' "mg"
