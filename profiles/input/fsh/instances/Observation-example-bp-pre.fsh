Instance: ExampleBloodPressure
InstanceOf: KapBloodPressure
Title: "Example blood pressure"
Description: "Example blood pressure (pre-dose)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-bp-1)
* extension[dosingPhase].valueCode = #pre-dose
* status = #final
* category[VSCat] = $obsCat#vital-signs "Vital Signs"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:05:00Z"
* code = $loinc#85354-9 "Blood pressure panel with all children optional"
* component[SystolicBP].code = $loinc#8480-6 "Systolic blood pressure"
* component[SystolicBP].valueQuantity = 162 'mm[Hg]' "mmHg"
* component[DiastolicBP].code = $loinc#8462-4 "Diastolic blood pressure"
* component[DiastolicBP].valueQuantity = 96 'mm[Hg]' "mmHg"
