Profile: KapRespiratoryDepression
Parent: Observation
Id: kap-respiratory-depression
Title: "KAP Respiratory Depression Profile"
Description: "Whether respiratory depression was observed after a dose (valueBoolean), and when it was recorded."
* insert KapProfileMeta
* insert KapDosingSessionFinding
* insert KapExamCategory
* code = KapObservationCS#respiratory-depression
* value[x] only boolean
* value[x] 1..1 MS
