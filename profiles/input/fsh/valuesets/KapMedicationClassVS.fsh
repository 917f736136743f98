ValueSet: KapMedicationClassVS
Id: kap-medication-class-vs
Title: "KAP Medication Class"
Description: "Classes of current medications that matter to ketamine and esketamine (kap-medication-class)."
* ^status = #draft
* ^experimental = false
* include codes from system KapMedicationClassCS
