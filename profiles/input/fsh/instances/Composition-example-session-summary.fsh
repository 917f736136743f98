Instance: ExampleSessionSummary
InstanceOf: KapSessionSummary
Title: "Example session summary"
Description: "The summary of the example dosing session (the first entry of its document Bundle; here on its own, citing the example resources)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-summary)
* status = #final
* type = $loinc#11506-3 "Provider-unspecified Progress note"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* date = "2026-03-02T12:00:00Z"
* author = Reference(ExampleClinic)
* custodian = Reference(ExampleClinic)
* title = "Ketamine dosing session summary"
* section[dose].title = "Dose"
* section[dose].code = KapSummarySectionCS#dose "Dose"
* section[dose].text.status = #generated
* section[dose].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Esketamine nasal spray 56 mg, given.</p></div>"
* section[dose].entry = Reference(ExampleAdministration)
* section[plan].title = "Plan"
* section[plan].code = KapSummarySectionCS#plan "Plan"
* section[plan].text.status = #generated
* section[plan].text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Increase the dose: 84 mg.</p></div>"
* section[plan].entry = Reference(ExampleDosingPlan)
