ValueSet: KapSummarySectionVS
Id: kap-summary-section-vs
Title: "KAP Session Summary Section"
Description: "Sections of a KAP session summary document (kap-summary-section)."
* ^status = #draft
* ^experimental = false
* include codes from system KapSummarySectionCS
