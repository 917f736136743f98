Profile: KapBloodPressure
Parent: http://hl7.org/fhir/StructureDefinition/bp
Id: kap-blood-pressure
Title: "KAP Blood Pressure Profile"
Description: "Blood pressure (85354-9 panel, systolic and diastolic components in mm[Hg]) taken around a KAP dose."
* insert KapProfileMeta
* insert KapVitalSign
