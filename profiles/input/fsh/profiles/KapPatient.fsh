Profile: KapPatient
Parent: Patient
Id: kap-patient
Title: "KAP Patient Profile"
Description: "A patient of a KAP clinic: the clinic identifier first, then other identifiers (MRN ...)."
* insert KapProfileMeta
* insert KapIdentified
* name MS
* gender MS
* birthDate MS
* telecom MS
