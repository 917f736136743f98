Instance: ExampleAssessmentEncounter
InstanceOf: KapSessionEncounter
Title: "Example assessment session"
Description: "The intake assessment session."
Usage: #example
* insert ExampleClinicId(session-assessment-1)
* status = #finished
* class = $v3ActCode#AMB
* type = KapSessionTypeCS#assessment "Assessment"
* subject = Reference(ExamplePatient)
* episodeOfCare = Reference(ExampleEpisode)
* period.start = "2026-02-25T09:30:00Z"
* period.end = "2026-02-25T10:30:00Z"
* participant[0].individual = Reference(ExamplePrescriber)
* serviceProvider = Reference(ExampleClinic)
