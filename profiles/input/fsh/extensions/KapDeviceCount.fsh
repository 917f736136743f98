Extension: KapDeviceCount
Id: kap-device-count
Title: "KAP Device Count"
Description: "Number of esketamine nasal spray devices used for the dose (each Spravato device delivers 28 mg: the dose is devices x 28 mg). R4 MedicationAdministration has no element for it."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "MedicationAdministration"
* value[x] only positiveInt
* value[x] 1..1
