Instance: ExampleLozengeEncounter
InstanceOf: KapSessionEncounter
Title: "Example ketamine lozenge session"
Description: "A dosing session with a compounded ketamine lozenge held sublingually."
Usage: #example
* insert ExampleClinicId(session-lozenge-1)
* status = #finished
* class = $v3ActCode#AMB
* type = KapSessionTypeCS#dosing "Dosing"
* subject = Reference(ExamplePatient)
* episodeOfCare = Reference(ExampleEpisode)
* period.start = "2026-04-06T09:00:00Z"
* period.end = "2026-04-06T11:00:00Z"
* participant[0].individual = Reference(ExamplePrescriber)
* serviceProvider = Reference(ExampleClinic)
