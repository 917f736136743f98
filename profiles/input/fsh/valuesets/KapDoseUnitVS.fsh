ValueSet: KapDoseUnitVS
Id: kap-dose-unit-vs
Title: "KAP Dose Unit"
Description: "UCUM units of a prescribed or recommended ketamine dose: mg, or mg per kg of body weight."
* ^status = #draft
* ^experimental = false
* $ucum#mg "mg"
* $ucum#mg/kg "mg/kg"
