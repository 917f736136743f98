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
* #respiratory-depression "Respiratory depression observed" "Whether respiratory depression was observed after the dose (issue 13)."
* #discharge-readiness "Ready for discharge" "Whether the clinic's discharge criteria were met after the dose, and when."
* #discharge-transport "Transport home" "How the patient went home (kap-discharge-transport)."
* #dosing-plan "Plan and next-dose recommendation" "The clinician's plan after a dosing session (kap-dosing-plan)."
* #recommended-dose "Recommended next dose" "The next dose recommended, in mg or mg/kg."
* #pcl5-cluster-b "PCL-5 cluster B intrusion score" "Sum of PCL-5 items 1-5 (0-20)."
* #pcl5-cluster-c "PCL-5 cluster C avoidance score" "Sum of PCL-5 items 6-7 (0-8)."
* #pcl5-cluster-d "PCL-5 cluster D cognition and mood score" "Sum of PCL-5 items 8-14 (0-28)."
* #pcl5-cluster-e "PCL-5 cluster E arousal and reactivity score" "Sum of PCL-5 items 15-20 (0-24)."
* #pcl5-dsm5-provisional "PCL-5 provisional PTSD by the DSM-5 rule" "At least one B, one C, two D and two E items rated 2 (moderately) or higher."
* #phq9-change "PHQ-9 change from baseline" "Percent change of the PHQ-9 total from the episode's baseline: (baseline - current) / baseline x 100, positive = improvement."
* #gad7-change "GAD-7 change from baseline" "Percent change of the GAD-7 total from the episode's baseline: (baseline - current) / baseline x 100, positive = improvement."
* #pcl5-change "PCL-5 change from baseline" "Percent change of the PCL-5 total from the episode's baseline: (baseline - current) / baseline x 100, positive = improvement."
* #change-points "Points of change from baseline" "Baseline total minus the current total (positive = improvement: higher totals mean worse symptoms)."
* #response "Response" "Response: a reduction of the total of 50 % or more from baseline."
* #remission "Remission" "Remission: a total below the instrument's remission threshold."
* #meaningful-improvement "Clinically meaningful improvement" "A reduction of the total by at least the instrument's clinically meaningful change."
* #cssrs-inconsistent "C-SSRS answers contradict each other" "A later C-SSRS answer is Yes where an earlier No should have skipped it."
