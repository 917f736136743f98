Instance: ExampleDosingEncounter
InstanceOf: KapSessionEncounter
Title: "Example dosing session"
Description: "A finished dosing session."
Usage: #example
* insert ExampleClinicId(session-dosing-1)
* status = #finished
* class = $v3ActCode#AMB
* type = KapSessionTypeCS#dosing "Dosing"
* subject = Reference(ExamplePatient)
* episodeOfCare = Reference(ExampleEpisode)
* period.start = "2026-03-02T09:00:00Z"
* period.end = "2026-03-02T11:30:00Z"
* participant[0].individual = Reference(ExamplePrescriber)
* participant[1].individual = Reference(ExampleTherapist)
* serviceProvider = Reference(ExampleClinic)
