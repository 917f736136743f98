Instance: ExamplePhq9ScoreWeek4
InstanceOf: KapInstrumentScore
Title: "Example PHQ-9 total score at week 4"
Description: "PHQ-9 total 2 (minimal), derived from the week-4 response."
Usage: #example
* insert ExampleClinicId(phq9-example-2)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = $loinc#44261-6 "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
* subject = Reference(ExamplePatient)
* effectiveDateTime = "2026-03-23T10:00:00Z"
* valueInteger = 2
* interpretation = KapSeverityBandCS#minimal "Minimal"
* derivedFrom = Reference(ExamplePhq9ResponseWeek4)
