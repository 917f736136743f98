Instance: ExampleCondition
InstanceOf: KapCondition
Title: "Example treatment-resistant depression"
Description: "Recurrent severe MDD qualified as treatment-resistant."
Usage: #example
* insert ExampleClinicId(episode-example-dx-1)
* extension[qualifier].valueCodeableConcept = KapConditionQualifierCS#treatment-resistant "Treatment-resistant"
* clinicalStatus = $conditionClinical#active
* verificationStatus = $conditionVerStatus#confirmed
* category = $conditionCategory#problem-list-item
* code = $icd10cm#F33.2 "Major depressive disorder, recurrent severe without psychotic features"
* subject = Reference(ExamplePatient)
