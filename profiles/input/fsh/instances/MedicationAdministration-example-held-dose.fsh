Instance: ExampleHeldDose
InstanceOf: KapKetamineAdministration
Title: "Example held dose"
Description: "The 56 mg esketamine dose planned for the session was held (not-done): the pre-dose blood pressure was high. dosage.dose is the dose planned."
Usage: #example
* insert ExampleClinicId(session-dosing-3)
* status = #not-done
* statusReason = KapDoseStatusReasonCS#blood-pressure-high "Blood pressure high"
* medicationCodeableConcept = $rxnorm#2201625 "esketamine Nasal Spray [Spravato]"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleHeldDoseEncounter)
* effectiveDateTime = "2026-03-09T09:20:00Z"
* performer[0].actor = Reference(ExamplePrescriber)
* request = Reference(ExamplePrescription)
* dosage.route = $sct#46713006 "Nasal route"
* dosage.dose = 56 'mg' "mg"
