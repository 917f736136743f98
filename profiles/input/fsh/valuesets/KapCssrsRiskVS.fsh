ValueSet: KapCssrsRiskVS
Id: kap-cssrs-risk-vs
Title: "KAP C-SSRS Risk"
Description: "C-SSRS screener risk levels."
* ^status = #draft
* ^experimental = false
* include codes from system KapCssrsRiskCS
