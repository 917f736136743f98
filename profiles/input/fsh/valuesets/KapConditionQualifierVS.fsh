ValueSet: KapConditionQualifierVS
Id: kap-condition-qualifier-vs
Title: "KAP Condition Qualifier"
Description: "Qualifiers of a KAP indication."
* ^status = #draft
* ^experimental = false
* include codes from system KapConditionQualifierCS
