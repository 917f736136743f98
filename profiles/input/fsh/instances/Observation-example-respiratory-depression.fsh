Instance: ExampleRespiratoryDepression
InstanceOf: KapRespiratoryDepression
Title: "Example respiratory depression (not observed)"
Description: "No respiratory depression observed during the session."
Usage: #example
* insert ExampleClinicId(session-dosing-1-resp-depression)
* status = #final
* category[exam] = $obsCat#exam "Exam"
* code = KapObservationCS#respiratory-depression "Respiratory depression observed"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T11:15:00Z"
* valueBoolean = false
