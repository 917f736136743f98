ValueSet: KapInstrumentTotalVS
Id: kap-instrument-total-vs
Title: "KAP Instrument Total Score"
Description: "Codes of the instrument results a KAP Instrument Score carries: total scores (clinical-codes.md §5, instruments.md §5, §6) and the C-SSRS screener risk level."
* ^status = #draft
* ^experimental = false
* $loinc#44261-6 "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
* $loinc#70274-6 "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
* $loinc#101698-9 "PTSD PCL-5 score [PCL-5]"
* $loinc#93374-7 "Suicide risk level"
* KapObservationCS#cadss6-total "CADSS-6 total score"
* KapObservationCS#cadss-total "CADSS total score"
* KapObservationCS#madrs-total "MADRS total score"
* KapObservationCS#qids-sr16-total "QIDS-SR16 total score"
