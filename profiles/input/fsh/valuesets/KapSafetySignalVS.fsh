ValueSet: KapSafetySignalVS
Id: kap-safety-signal-vs
Title: "KAP Safety Signal"
Description: "Safety signals raised by the KAP rules."
* ^status = #draft
* ^experimental = false
* include codes from system KapSafetySignalCS
