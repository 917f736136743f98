CodeSystem: KapDoseStatusReasonCS
Id: kap-dose-status-reason
Title: "KAP Dose Status Reason"
Description: "Why a ketamine or esketamine dose was held, partly given or refused (MedicationAdministration.statusReason). LOCAL: no standard code found."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #blood-pressure-high "Blood pressure high" "Blood pressure above the level at which the dose is held."
* #vital-signs-abnormal "Vital signs abnormal" "Another vital sign out of range."
* #acute-illness "Acute illness" "An acute illness on the day of the dose."
* #intoxication "Intoxication" "The patient is intoxicated."
* #pregnancy "Pregnancy" "The patient is or may be pregnant."
* #adverse-reaction "Adverse reaction" "An adverse reaction during the dose or to a previous one."
* #patient-refused "Patient refused" "The patient declined the dose."
* #clinician-decision "Clinician decision" "The clinician decided not to give (or to stop) the dose."
* #other "Other" "Another reason."
