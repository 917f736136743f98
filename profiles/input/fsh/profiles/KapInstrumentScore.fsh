Profile: KapInstrumentScore
Parent: Observation
Id: kap-instrument-score
Title: "KAP Instrument Score Profile"
Description: "Result of a questionnaire instrument, derived from its QuestionnaireResponse: the total score (valueInteger: PHQ-9, GAD-7, PCL-5, CADSS-6 ...), or for the C-SSRS screener, which has no total, the risk level (valueCodeableConcept from kap-cssrs-risk)."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-1 and kap-2 and kap-3 and kap-4 and kap-5 and kap-6 and kap-11 and kap-12
* status MS
* insert KapSurveyCategory
* code MS
* code from KapInstrumentTotalVS (required)
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* value[x] only integer or CodeableConcept
* value[x] 1..1 MS
* valueCodeableConcept from KapCssrsRiskVS (required)
* interpretation 0..1 MS
* interpretation from KapSeverityBandVS (required)
* derivedFrom 1..1 MS
* derivedFrom only Reference(KapQuestionnaireResponse)
