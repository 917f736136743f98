Extension: KapDosePerBodyWeight
Id: kap-dose-per-body-weight
Title: "KAP Dose per Body Weight"
Description: "Weight-based dose in mg/kg (UCUM)."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "MedicationAdministration.dosage"
* ^context[+].type = #element
* ^context[=].expression = "MedicationRequest.dosageInstruction"
* value[x] only Quantity
* value[x] 1..1
* valueQuantity.value 1..1
* valueQuantity.system 1..1
* valueQuantity.system = $ucum (exactly)
* valueQuantity.code 1..1
* valueQuantity.code = #mg/kg (exactly)
