Instance: ExampleCssrsResponse
InstanceOf: KapQuestionnaireResponse
Title: "Example C-SSRS screener response"
Description: "C-SSRS screener (recent) at the assessment session: only Q1 endorsed (low risk); branched items omitted."
Usage: #example
* insert ExampleClinicId(cssrs-example-1)
* questionnaire = Canonical(cssrs-screen)
* status = #completed
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* authored = "2026-02-25T10:05:00Z"
* item[0].linkId = "cssrs-1"
* item[0].answer[0].valueCoding = $loinc#LA33-6 "Yes"
* item[1].linkId = "cssrs-2"
* item[1].answer[0].valueCoding = $loinc#LA32-8 "No"
* item[2].linkId = "cssrs-6"
* item[2].answer[0].valueCoding = $loinc#LA32-8 "No"
