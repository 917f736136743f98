Extension: KapDosingPhase
Id: kap-dosing-phase
Title: "KAP Dosing Phase"
Description: "When the observation was taken relative to the dose: pre-dose, during-dose or post-dose."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "Observation"
* value[x] only code
* value[x] 1..1
* valueCode from KapDosingPhaseVS (required)
