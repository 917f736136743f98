Profile: KapScreening
Parent: Observation
Id: kap-screening
Title: "KAP Screening Profile"
Description: "One contraindication or precaution screening item before ketamine or esketamine (kap-screening): present (valueBoolean true), absent (false) or asked but unknown (dataAbsentReason `asked-unknown`); or \"none known\" (code `none-known`, valueBoolean true)."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-16
* status MS
* insert KapSurveyCategory
* code MS
* code from KapScreeningVS (required)
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* value[x] only boolean
* value[x] MS
* dataAbsentReason MS
