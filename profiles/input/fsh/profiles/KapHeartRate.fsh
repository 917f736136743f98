Profile: KapHeartRate
Parent: http://hl7.org/fhir/StructureDefinition/heartrate
Id: kap-heart-rate
Title: "KAP Heart Rate Profile"
Description: "Heart rate (/min) taken around a KAP dose."
* insert KapProfileMeta
* insert KapVitalSign
