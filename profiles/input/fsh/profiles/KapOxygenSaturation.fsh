Profile: KapOxygenSaturation
Parent: http://hl7.org/fhir/StructureDefinition/oxygensat
Id: kap-oxygen-saturation
Title: "KAP Oxygen Saturation Profile"
Description: "Oxygen saturation (%) by pulse oximetry taken around a KAP dose: LOINC 2708-6 and 59408-5."
* insert KapProfileMeta
* insert KapVitalSign
* code.coding contains PulseOx 0..1 MS
* code.coding[PulseOx].system 1..1
* code.coding[PulseOx].system = $loinc (exactly)
* code.coding[PulseOx].code 1..1
* code.coding[PulseOx].code = #59408-5 (exactly)
