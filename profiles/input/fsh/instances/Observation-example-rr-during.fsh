Instance: ExampleRespiratoryRate
InstanceOf: KapRespiratoryRate
Title: "Example respiratory rate"
Description: "Example respiratory rate (during-dose)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-rr-1)
* extension[dosingPhase].valueCode = #during-dose
* status = #final
* category[VSCat] = $obsCat#vital-signs "Vital Signs"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:55:00Z"
* code = $loinc#9279-1 "Respiratory rate"
* valueQuantity = 16 '/min' "breaths/minute"
