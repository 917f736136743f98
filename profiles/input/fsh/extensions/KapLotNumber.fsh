Extension: KapLotNumber
Id: kap-lot-number
Title: "KAP Lot Number"
Description: "Lot number of the administered product (R4 MedicationAdministration has no lot element; compounded products have no Medication resource here)."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "MedicationAdministration"
* value[x] only string
* value[x] 1..1
