CodeSystem: KapCareRoleCS
Id: kap-care-role
Title: "KAP Care Role"
Description: "Roles of care-team members in a KAP episode."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #therapist "Therapist" "Psychotherapist conducting preparation, dosing support and integration."
* #prescriber "Prescriber" "Clinician who prescribes ketamine or esketamine."
* #sitter "Sitter" "Person monitoring the patient during the dosing session."
* #administering-clinician "Administering clinician" "Clinician who administers the dose."
