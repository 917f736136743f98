Instance: ExampleScreeningPregnancyUnknown
InstanceOf: KapScreening
Title: "Example screening item: asked, unknown"
Description: "Screened at assessment: pregnancy asked but not known (dataAbsentReason asked-unknown, no value)."
Usage: #example
* insert ExampleClinicId(session-assessment-1-screen-pregnancy)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = KapScreeningCS#pregnancy "Pregnancy"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T09:40:00Z"
* dataAbsentReason = $dataAbsentReason#asked-unknown "Asked But Unknown"
