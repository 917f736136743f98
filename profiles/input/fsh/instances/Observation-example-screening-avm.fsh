Instance: ExampleScreeningVascular
InstanceOf: KapScreening
Title: "Example screening item: absent"
Description: "Screened at assessment: no aneurysmal vascular disease or arteriovenous malformation (valueBoolean false)."
Usage: #example
* insert ExampleClinicId(session-assessment-1-screen-aneurysmal-vascular-disease-or-avm)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = KapScreeningCS#aneurysmal-vascular-disease-or-avm "Aneurysmal vascular disease or arteriovenous malformation"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T09:40:00Z"
* valueBoolean = false
