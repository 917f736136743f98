Profile: KapDissociationScore
Parent: Observation
Id: kap-dissociation-score
Title: "KAP Dissociation Score Profile"
Description: "CADSS-6 total (0-24) rated during a dosing session."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-6
* extension contains KapDosingPhase named dosingPhase 0..1 MS
* extension[dosingPhase].value[x] MS
* status MS
* insert KapSurveyCategory
* code = KapObservationCS#cadss6-total
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* partOf MS
* partOf only Reference(KapKetamineAdministration)
* effective[x] only dateTime
* effectiveDateTime MS
* value[x] only integer
* value[x] 1..1 MS
* derivedFrom only Reference(KapQuestionnaireResponse)
