Instance: ExampleSelfAdministeredEncounter
InstanceOf: KapSessionEncounter
Title: "Example self-administered esketamine session"
Description: "The second esketamine session: the patient sprays the dose under supervision."
Usage: #example
* insert ExampleClinicId(session-dosing-2)
* status = #finished
* class = $v3ActCode#AMB
* type = KapSessionTypeCS#dosing "Dosing"
* subject = Reference(ExamplePatient)
* episodeOfCare = Reference(ExampleEpisode)
* period.start = "2026-03-05T09:00:00Z"
* period.end = "2026-03-05T11:30:00Z"
* participant[0].individual = Reference(ExamplePrescriber)
* serviceProvider = Reference(ExampleClinic)
