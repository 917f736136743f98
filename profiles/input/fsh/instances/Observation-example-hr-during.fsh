Instance: ExampleHeartRate
InstanceOf: KapHeartRate
Title: "Example heart rate"
Description: "Example heart rate (during-dose)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-hr-1)
* extension[dosingPhase].valueCode = #during-dose
* status = #final
* category[VSCat] = $obsCat#vital-signs "Vital Signs"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:55:00Z"
* code = $loinc#8867-4 "Heart rate"
* valueQuantity = 84 '/min' "beats/minute"
