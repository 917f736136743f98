CodeSystem: KapConditionQualifierCS
Id: kap-condition-qualifier
Title: "KAP Condition Qualifier"
Description: "Qualifiers of a KAP indication with no ICD-10-CM or SNOMED CT code (clinical-codes.md §6)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #treatment-resistant "Treatment-resistant" "The condition has not responded to adequate prior treatment."
