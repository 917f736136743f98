Extension: KapSessionCount
Id: kap-session-count
Title: "KAP Session Count"
Description: "Number of dosing sessions prescribed."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "MedicationRequest"
* value[x] only positiveInt
* value[x] 1..1
