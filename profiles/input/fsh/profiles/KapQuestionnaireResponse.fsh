Profile: KapQuestionnaireResponse
Parent: QuestionnaireResponse
Id: kap-questionnaire-response
Title: "KAP QuestionnaireResponse Profile"
Description: "Answers to a KAP instrument Questionnaire; each answer is the Coding of an answer option."
* insert KapProfileMeta
* obeys kap-8
* identifier 1..1 MS
* identifier.system 1..1 MS
* identifier.value 1..1 MS
* questionnaire 1..1 MS
* status MS
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* authored 1..1 MS
* item MS
* item.answer MS
* item.answer.value[x] MS
