Instance: ExampleSedationScore
InstanceOf: KapSedationScore
Title: "Example sedation score"
Description: "MOAA/S 4 (lethargic response to the name spoken in a normal tone) about 40 minutes after the dose."
Usage: #example
* insert ExampleClinicId(session-dosing-1-moaas-1)
* extension[dosingPhase].valueCode = #during-dose
* status = #final
* category[exam] = $obsCat#exam "Exam"
* code = KapObservationCS#moaas "MOAA/S score"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:55:00Z"
* valueInteger = 4
