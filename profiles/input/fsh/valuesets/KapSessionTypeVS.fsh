ValueSet: KapSessionTypeVS
Id: kap-session-type-vs
Title: "KAP Session Type"
Description: "All KAP session kinds."
* ^status = #draft
* ^experimental = false
* include codes from system KapSessionTypeCS
