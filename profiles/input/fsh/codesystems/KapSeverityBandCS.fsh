CodeSystem: KapSeverityBandCS
Id: kap-severity-band
Title: "KAP Severity Band"
Description: "Instrument score interpretation bands (instruments.md §1-§3)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #minimal "Minimal" "Minimal symptoms band."
* #mild "Mild" "Mild symptoms band."
* #moderate "Moderate" "Moderate symptoms band."
* #moderately-severe "Moderately severe" "Moderately severe symptoms band (PHQ-9 15-19)."
* #severe "Severe" "Severe symptoms band."
* #below-cutoff "Below cut-off" "Total below the instrument cut-off (PCL-5)."
* #at-or-above-cutoff "At or above cut-off" "Total at or above the instrument cut-off (PCL-5)."
