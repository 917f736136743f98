Profile: KapMedicationStatement
Parent: MedicationStatement
Id: kap-medication-statement
Title: "KAP Medication Statement Profile"
Description: "A current medication confirmed in a KAP session's medication review, coded by the class that matters to ketamine (kap-medication-class; its name in text when given), or, as the IPS does, \"no known medications\" for a review that found none. An absent MedicationStatement means \"not asked\"."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* medication[x] only CodeableConcept
* medication[x] MS
* medicationCodeableConcept from KapCurrentMedicationVS (required)
* medicationCodeableConcept.text MS
* subject MS
* subject only Reference(KapPatient)
* context 1..1 MS
* context only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* dateAsserted 1..1 MS
