ValueSet: KapDischargeTransportVS
Id: kap-discharge-transport-vs
Title: "KAP Discharge Transport"
Description: "How the patient went home after a dose (kap-discharge-transport)."
* ^status = #draft
* ^experimental = false
* include codes from system KapDischargeTransportCS
