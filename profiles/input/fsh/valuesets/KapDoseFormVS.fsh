ValueSet: KapDoseFormVS
Id: kap-dose-form-vs
Title: "KAP Dose Form"
Description: "Dosage forms of racemic ketamine (kap-dose-form)."
* ^status = #draft
* ^experimental = false
* include codes from system KapDoseFormCS
