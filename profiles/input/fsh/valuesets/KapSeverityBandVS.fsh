ValueSet: KapSeverityBandVS
Id: kap-severity-band-vs
Title: "KAP Severity Band"
Description: "Instrument score interpretation bands."
* ^status = #draft
* ^experimental = false
* include codes from system KapSeverityBandCS
