Instance: ExampleDosingSupport
InstanceOf: KapPsychotherapySession
Title: "Example dosing-support psychotherapy"
Description: "Psychotherapy during the dosing session."
Usage: #example
* insert ExampleClinicId(session-dosing-1)
* status = #completed
* code = $sct#75516001 "Psychotherapy (regime/therapy)"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* performedPeriod.start = "2026-03-02T09:00:00Z"
* performedPeriod.end = "2026-03-02T11:30:00Z"
* performer[0].actor = Reference(ExampleTherapist)
* partOf = Reference(ExampleAdministration)
