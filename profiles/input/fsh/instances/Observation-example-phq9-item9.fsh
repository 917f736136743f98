Instance: ExamplePhq9Item9
InstanceOf: KapPhq9Item9
Title: "Example PHQ-9 item 9"
Description: "PHQ-9 item 9 answered \"Not at all\", derived from the example PHQ-9 response."
Usage: #example
* insert ExampleClinicId(phq9-example-1-item9)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = $loinc#44260-8 "Thoughts that you would be better off dead, or of hurting yourself in some way"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T10:00:00Z"
* valueCodeableConcept = $loinc#LA6568-5 "Not at all"
* derivedFrom = Reference(ExamplePhq9Response)
