Instance: ExampleEpisodeSummary
InstanceOf: KapEpisodeSummary
Title: "Example episode summary"
Description: "The summary of the example treatment episode, made on request (the first entry of its document Bundle; here on its own, citing the example resources)."
Usage: #example
* insert ExampleClinicId(episode-1-summary)
* status = #final
* type = $loinc#34133-9 "Summary of episode note"
* subject = Reference(ExamplePatient)
* date = "2026-03-30T12:00:00Z"
* author = Reference(ExampleClinic)
* custodian = Reference(ExampleClinic)
* title = "Ketamine treatment episode summary"
* event[0].period.start = "2026-03-02T09:00:00Z"
* event[0].period.end = "2026-03-02T12:00:00Z"
* event[0].detail = Reference(ExampleEpisode)
* section[dosingSessions].title = "Dosing sessions"
* section[dosingSessions].code = KapSummarySectionCS#dosing-sessions "Dosing sessions"
* section[dosingSessions].text.status = #generated
* section[dosingSessions].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>1 dosing session: esketamine nasal spray 56 mg, given.</p></div>"
* section[dosingSessions].entry = Reference(ExampleAdministration)
* section[plan].title = "Plan"
* section[plan].code = KapSummarySectionCS#plan "Plan"
* section[plan].text.status = #generated
* section[plan].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Increase the dose: 84 mg.</p></div>"
* section[plan].entry = Reference(ExampleDosingPlan)
