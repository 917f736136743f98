Profile: KapCondition
Parent: Condition
Id: kap-condition
Title: "KAP Condition Profile"
Description: "An indication for KAP: ICD-10-CM diagnosis, optionally qualified as treatment-resistant."
* insert KapProfileMeta
* insert KapIdentified
* extension contains KapConditionQualifier named qualifier 0..1 MS
* extension[qualifier].value[x] MS
* clinicalStatus 1..1 MS
* verificationStatus 1..1 MS
* category 1..* MS
* code 1..1 MS
* code from KapIndicationVS (extensible)
* subject only Reference(KapPatient)
