Profile: KapPhq9Item9
Parent: Observation
Id: kap-phq9-item9
Title: "KAP PHQ-9 Item 9 Profile"
Description: "The answer to PHQ-9 item 9 (thoughts of being better off dead or of self-harm; LOINC 44260-8) as its own Observation, so a receiver sees it without opening the QuestionnaireResponse. None is made when the item is unanswered."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* insert KapSurveyCategory
* code = $loinc#44260-8
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* value[x] only CodeableConcept
* value[x] 1..1 MS
* valueCodeableConcept from KapPhq9AnswerVS (required)
* derivedFrom 1..* MS
* derivedFrom only Reference(KapQuestionnaireResponse)
