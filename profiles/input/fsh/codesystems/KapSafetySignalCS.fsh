CodeSystem: KapSafetySignalCS
Id: kap-safety-signal
Title: "KAP Safety Signal"
Description: "One code per safety rule (instruments.md §1, §4, §5, §7)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #phq9-item9-positive "PHQ-9 item 9 positive" "PHQ-9 item 9 answered 1 or more (urgent)."
* #cssrs-high "C-SSRS high risk" "C-SSRS screener high risk (urgent)."
* #cssrs-moderate "C-SSRS moderate risk" "C-SSRS screener moderate risk (attention)."
* #cssrs-low "C-SSRS low risk" "C-SSRS screener low risk (attention)."
* #bp-predose-high "Pre-dose blood pressure high" "Pre-dose BP at or above threshold and a dose was still given (urgent)."
* #bp-discharge-high "Discharge blood pressure high" "Post-dose BP above threshold at discharge (attention)."
* #spo2-low "SpO2 low" "Oxygen saturation below threshold (urgent)."
* #dose-above-prescription "Dose above prescription" "Dose given exceeds the prescribed dose (urgent)."
* #dose-without-prescription "Dose without prescription" "Dose given with no active prescription (urgent)."
* #route-mismatch "Route mismatch" "Route given differs from the prescribed route (urgent)."
* #side-effect-severe "Severe side effect" "Side effect recorded as severe (urgent)."
* #side-effect-moderate "Moderate side effect" "Side effect recorded as moderate (attention)."
* #esketamine-early-discharge "Esketamine early discharge" "Discharge less than 2 h after an esketamine dose (attention)."
* #esketamine-bp-missing "Esketamine BP missing" "No BP before an esketamine dose or none about 40 min after (attention)."
* #moaas-zero "MOAA/S zero" "MOAA/S score 0, loss of consciousness (urgent)."
