Instance: ExampleOxygenSaturation
InstanceOf: KapOxygenSaturation
Title: "Example oxygen saturation"
Description: "Example oxygen saturation (during-dose)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-spo2-1)
* extension[dosingPhase].valueCode = #during-dose
* status = #final
* category[VSCat] = $obsCat#vital-signs "Vital Signs"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T09:55:00Z"
* code.coding[OxygenSatCode] = $loinc#2708-6 "Oxygen saturation in Arterial blood"
* code.coding[PulseOx] = $loinc#59408-5 "Oxygen saturation in Arterial blood by Pulse oximetry"
* valueQuantity = 97 '%' "%"
