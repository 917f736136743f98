ValueSet: KapDosingPhaseVS
Id: kap-dosing-phase-vs
Title: "KAP Dosing Phase"
Description: "Dosing phases."
* ^status = #draft
* ^experimental = false
* include codes from system KapDosingPhaseCS
