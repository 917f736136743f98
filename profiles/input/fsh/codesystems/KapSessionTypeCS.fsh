CodeSystem: KapSessionTypeCS
Id: kap-session-type
Title: "KAP Session Type"
Description: "Kinds of KAP sessions (clinical-codes.md §7, §9)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #assessment "Assessment" "Intake or follow-up assessment session."
* #preparation "Preparation" "Psychotherapy session preparing the patient for dosing."
* #dosing "Dosing" "Session in which ketamine or esketamine is given under supervision."
* #integration "Integration" "Psychotherapy session integrating the dosing experience."
* #follow-up "Follow-up" "Follow-up contact after a course of treatment."
