ValueSet: KapPhq9AnswerVS
Id: kap-phq9-answer-vs
Title: "KAP PHQ-9 Item Answer"
Description: "Answers to a PHQ-9 item, LOINC answer list LL358-3 (scores 0-3; instruments.md §1)."
* ^status = #draft
* ^experimental = false
* $loinc#LA6568-5 "Not at all"
* $loinc#LA6569-3 "Several days"
* $loinc#LA6570-1 "More than half the days"
* $loinc#LA6571-9 "Nearly every day"
