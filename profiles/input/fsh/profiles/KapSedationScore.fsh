Profile: KapSedationScore
Parent: Observation
Id: kap-sedation-score
Title: "KAP Sedation Score Profile"
Description: "Sedation during a dosing session: the MOAA/S score (Modified Observer's Assessment of Alertness/Sedation, 0 = no response to a trapezius squeeze, 5 = responds readily to the name spoken in a normal tone) with its time and dosing phase."
* insert KapProfileMeta
* insert KapVitalSign
* obeys kap-13
* status MS
* insert KapExamCategory
* code = KapObservationCS#moaas
* subject 1..1 MS
* value[x] only integer
* value[x] 1..1 MS
