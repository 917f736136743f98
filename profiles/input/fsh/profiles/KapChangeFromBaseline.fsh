Profile: KapChangeFromBaseline
Parent: Observation
Id: kap-change-from-baseline
Title: "KAP Change From Baseline Profile"
Description: "Change of a PHQ-9, GAD-7 or PCL-5 total from the episode's baseline: the percent change (valueQuantity, UCUM %; absent when the baseline is 0), the points of change, response, remission (PHQ-9, GAD-7) and clinically meaningful improvement (PCL-5) as components, derived from the baseline and the current total Observations."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* insert KapSurveyCategory
* code MS
* code from KapChangeFromBaselineVS (required)
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* value[x] only Quantity
* value[x] MS
* valueQuantity.value 1..1 MS
* valueQuantity.system 1..1 MS
* valueQuantity.system = $ucum (exactly)
* valueQuantity.code 1..1 MS
* valueQuantity.code = #% (exactly)
* derivedFrom 2..2 MS
* derivedFrom only Reference(KapInstrumentScore)
* insert KapComponentsByCode
* component contains changePoints 0..1 MS and response 0..1 MS and remission 0..1 MS and meaningfulImprovement 0..1 MS
* insert KapComponentSlice(changePoints, KapObservationCS#change-points, integer)
* insert KapComponentSlice(response, KapObservationCS#response, boolean)
* insert KapComponentSlice(remission, KapObservationCS#remission, boolean)
* insert KapComponentSlice(meaningfulImprovement, KapObservationCS#meaningful-improvement, boolean)
