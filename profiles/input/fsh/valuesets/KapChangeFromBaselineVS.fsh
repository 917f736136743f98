ValueSet: KapChangeFromBaselineVS
Id: kap-change-from-baseline-vs
Title: "KAP Change From Baseline"
Description: "Codes of a change-from-baseline Observation: PHQ-9, GAD-7 or PCL-5 (kap-observation)."
* ^status = #draft
* ^experimental = false
* KapObservationCS#phq9-change "PHQ-9 change from baseline"
* KapObservationCS#gad7-change "GAD-7 change from baseline"
* KapObservationCS#pcl5-change "PCL-5 change from baseline"
