ValueSet: KapDoseStatusVS
Id: kap-dose-status-vs
Title: "KAP Dose Status"
Description: "Statuses of a KAP dose (FHIR R4 medication-admin-status): given (completed), held or refused (not-done), partly given (stopped)."
* ^status = #draft
* ^experimental = false
* $medAdminStatus#completed "Completed"
* $medAdminStatus#not-done "Not Done"
* $medAdminStatus#stopped "Stopped"
