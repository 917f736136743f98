ValueSet: KapDosingPlanVS
Id: kap-dosing-plan-vs
Title: "KAP Dosing Plan"
Description: "Next-dose recommendations (kap-dosing-plan)."
* ^status = #draft
* ^experimental = false
* include codes from system KapDosingPlanCS
