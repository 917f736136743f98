Instance: ExampleDissociationScore
InstanceOf: KapDissociationScore
Title: "Example CADSS-6 total"
Description: "CADSS-6 total rated about 40 minutes after the dose."
Usage: #example
* insert ExampleClinicId(session-dosing-1-cadss6)
* extension[dosingPhase].valueCode = #during-dose
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = KapObservationCS#cadss6-total "CADSS-6 total score"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:55:00Z"
* valueInteger = 8
