Instance: ExamplePhq9ResponseWeek4
InstanceOf: KapQuestionnaireResponse
Title: "Example PHQ-9 response at week 4"
Description: "PHQ-9 answers four weeks into the course (total 2, item 9 = 0)."
Usage: #example
* insert ExampleClinicId(phq9-example-2)
* questionnaire = Canonical(phq9)
* status = #completed
* subject = Reference(ExamplePatient)
* authored = "2026-03-23T10:00:00Z"
* item[0].linkId = "phq9-1"
* item[0].answer[0].valueCoding = $loinc#LA6569-3 "Several days"
* item[1].linkId = "phq9-2"
* item[1].answer[0].valueCoding = $loinc#LA6569-3 "Several days"
* item[2].linkId = "phq9-3"
* item[2].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[3].linkId = "phq9-4"
* item[3].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[4].linkId = "phq9-5"
* item[4].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[5].linkId = "phq9-6"
* item[5].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[6].linkId = "phq9-7"
* item[6].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[7].linkId = "phq9-8"
* item[7].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
* item[8].linkId = "phq9-9"
* item[8].answer[0].valueCoding = $loinc#LA6568-5 "Not at all"
