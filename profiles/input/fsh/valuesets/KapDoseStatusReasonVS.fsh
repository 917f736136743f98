ValueSet: KapDoseStatusReasonVS
Id: kap-dose-status-reason-vs
Title: "KAP Dose Status Reason"
Description: "Why a dose was held, partly given or refused (kap-dose-status-reason)."
* ^status = #draft
* ^experimental = false
* include codes from system KapDoseStatusReasonCS
