ValueSet: KapScreeningVS
Id: kap-screening-vs
Title: "KAP Screening"
Description: "Contraindication and precaution screening items and \"none known\" (kap-screening)."
* ^status = #draft
* ^experimental = false
* include codes from system KapScreeningCS
