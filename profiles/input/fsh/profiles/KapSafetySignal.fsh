Profile: KapSafetySignal
Parent: DetectedIssue
Id: kap-safety-signal
Title: "KAP Safety Signal Profile"
Description: "A safety signal raised by a KAP rule (instrument answers, vitals, dose, side effects)."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* code 1..1 MS
* code from KapSafetySignalVS (required)
* severity 1..1 MS
* patient 1..1 MS
* patient only Reference(KapPatient)
* identified[x] MS
* implicated 1..* MS
* detail MS
