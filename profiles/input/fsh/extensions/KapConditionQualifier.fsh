Extension: KapConditionQualifier
Id: kap-condition-qualifier
Title: "KAP Condition Qualifier"
Description: "Qualifier of a KAP indication, e.g. treatment-resistant."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "Condition"
* value[x] only CodeableConcept
* value[x] 1..1
* valueCodeableConcept from KapConditionQualifierVS (required)
