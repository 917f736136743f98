ValueSet: KapCurrentMedicationVS
Id: kap-current-medication-vs
Title: "KAP Current Medication"
Description: "What a KAP MedicationStatement names: the class of a current medication (kap-medication-class), or IPS \"no known medications\" for a review that found none (as the IPS MedicationStatement does)."
* ^status = #draft
* ^experimental = false
* include codes from system KapMedicationClassCS
* $ipsAbsentUnknown#no-known-medications "No known medications"
