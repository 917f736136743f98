Instance: ExampleMedicationStatementBenzodiazepine
InstanceOf: KapMedicationStatement
Title: "Example current medication: a benzodiazepine"
Description: "At the assessment the patient takes a benzodiazepine (lorazepam), coded by its class."
Usage: #example
* insert ExampleClinicId(session-assessment-1-med-m1)
* status = #active
* medicationCodeableConcept = KapMedicationClassCS#benzodiazepine "Benzodiazepine"
* medicationCodeableConcept.text = "lorazepam"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T09:45:00Z"
* dateAsserted = "2026-02-25T09:45:00Z"
