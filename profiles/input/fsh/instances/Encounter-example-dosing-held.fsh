Instance: ExampleHeldDoseEncounter
InstanceOf: KapSessionEncounter
Title: "Example dosing session with the dose held"
Description: "The third dosing session: pre-dose blood pressure too high, the dose is held."
Usage: #example
* insert ExampleClinicId(session-dosing-3)
* status = #finished
* class = $v3ActCode#AMB
* type = KapSessionTypeCS#dosing "Dosing"
* subject = Reference(ExamplePatient)
* episodeOfCare = Reference(ExampleEpisode)
* period.start = "2026-03-09T09:00:00Z"
* period.end = "2026-03-09T09:40:00Z"
* participant[0].individual = Reference(ExamplePrescriber)
* serviceProvider = Reference(ExampleClinic)
