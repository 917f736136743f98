CodeSystem: KapSummarySectionCS
Id: kap-summary-section
Title: "KAP Session Summary Section"
Description: "The sections of a KAP session summary document (kap-session-summary) and of a KAP episode summary document (kap-episode-summary). LOCAL: no standard section code (LOINC has none for a ketamine session's dose, dissociation or safety signals)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #prescription "Prescription" "The patient and the prescription the dose was given under."
* #dose "Dose" "Product, route, form, strength, dose (mg and mg/kg), lot, status and times of the dose."
* #medications "Medications at the session" "The medication review of the session."
* #vital-signs "Vital signs" "Blood pressure, heart rate, respiratory rate and oxygen saturation before, during and after the dose, with the clinic's thresholds."
* #dissociation-sedation "Dissociation and sedation" "CADSS-6, MOAA/S and respiratory depression."
* #side-effects "Side effects and adverse events" "The side effects and adverse events of the session."
* #signals "Safety signals" "The safety signals about the session."
* #scores "Scores" "PHQ-9, GAD-7 and PCL-5 over the episode: baseline, change, response and remission."
* #care-team "Care team" "Who administered, monitored and prescribed."
* #plan "Plan" "Discharge and the plan / next-dose recommendation."
* #dosing-sessions "Dosing sessions" "Every dosing session of the episode: date, product, route, form, dose (mg and mg/kg), status, lowest SpO2, highest blood pressure and the number of safety signals."
