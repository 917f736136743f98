CodeSystem: KapObservationCS
Id: kap-observation
Title: "KAP Observation"
Description: "Observation codes with no LOINC code found (clinical-codes.md §5, §9; instruments.md §5, §6)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #cadss6-total "CADSS-6 total score" "Sum of CADSS items 1, 2, 6, 7, 15 and 22 (0-24)."
* #cadss-total "CADSS total score" "Sum of the 23 CADSS items (0-92)."
* #moaas "MOAA/S score" "Modified Observer Assessment of Alertness/Sedation (0-5)."
* #madrs-total "MADRS total score" "Montgomery-Asberg Depression Rating Scale total (0-60)."
* #qids-sr16-total "QIDS-SR16 total score" "Quick Inventory of Depressive Symptomatology, self-report, total (0-27)."
* #dose-mg-per-kg "Dose per body weight" "Dose given in mg per kg of body weight."
