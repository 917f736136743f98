Profile: KapRespiratoryRate
Parent: http://hl7.org/fhir/StructureDefinition/resprate
Id: kap-respiratory-rate
Title: "KAP Respiratory Rate Profile"
Description: "Respiratory rate (/min) taken around a KAP dose."
* insert KapProfileMeta
* insert KapVitalSign
