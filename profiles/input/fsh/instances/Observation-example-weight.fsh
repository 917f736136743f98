Instance: ExampleBodyWeight
InstanceOf: KapBodyWeight
Title: "Example body weight"
Description: "Example body weight (pre-dose)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-weight-1)
* extension[dosingPhase].valueCode = #pre-dose
* status = #final
* category[VSCat] = $obsCat#vital-signs "Vital Signs"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:02:00Z"
* code = $loinc#29463-7 "Body weight"
* valueQuantity = 72.5 'kg' "kg"
