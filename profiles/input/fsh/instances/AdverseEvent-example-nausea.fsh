Instance: ExampleSideEffect
InstanceOf: KapSideEffect
Title: "Example side effect: nausea"
Description: "Mild, non-serious nausea after the dose, resolved before discharge."
Usage: #example
* insert ExampleClinicId(session-dosing-1-se-1)
* actuality = #actual
* event = $sct#422587007 "Nausea"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* date = "2026-03-02T10:10:00Z"
* severity = $aeSeverity#mild "Mild"
* suspectEntity[0].instance = Reference(ExampleAdministration)
* seriousness = $aeSeriousness#non-serious "Non-serious"
* outcome = $aeOutcome#resolved "Resolved"
