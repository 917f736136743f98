Instance: ExamplePhq9Score
InstanceOf: KapInstrumentScore
Title: "Example PHQ-9 total score"
Description: "PHQ-9 total 5 (mild), derived from the example response."
Usage: #example
* insert ExampleClinicId(phq9-example-1)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = $loinc#44261-6 "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T10:00:00Z"
* valueInteger = 5
* interpretation = KapSeverityBandCS#mild "Mild"
* derivedFrom = Reference(ExamplePhq9Response)
