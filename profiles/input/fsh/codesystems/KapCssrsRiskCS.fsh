CodeSystem: KapCssrsRiskCS
Id: kap-cssrs-risk
Title: "KAP C-SSRS Risk"
Description: "Risk level derived from the C-SSRS screener (instruments.md §4)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #none "None" "All screener answers No."
* #low "Low" "Only wish to be dead and/or non-specific suicidal thoughts."
* #moderate "Moderate" "Method considered, or past (not recent) suicidal behaviour."
* #high "High" "Intent, plan, or recent suicidal behaviour."
