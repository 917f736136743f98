Instance: ExampleRemsMonitoringRecord
InstanceOf: KapRemsMonitoringResponse
Title: "Example Spravato REMS monitoring record (in progress)"
Description: "The REMS monitoring record of the self-administered esketamine session, still in progress: the blood pressure about 40 minutes after the dose and the fields after it are not recorded yet."
Usage: #example
* identifier.system = "https://kap-fhir.org/fhir/clinic/example-clinic"
* identifier.value = "ep-example/session-dosing-2-rems"
* questionnaire = Canonical(spravato-rems-monitoring)
* status = #in-progress
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleSelfAdministeredEncounter)
* author = Reference(ExampleClinic)
* authored = "2026-03-05T09:15:00Z"
* item[0].linkId = "dose"
* item[0].text = "Dose"
* item[0].item[0].linkId = "dose-mg"
* item[0].item[0].text = "Dose given (mg)"
* item[0].item[0].answer[0].valueInteger = 56
* item[0].item[1].linkId = "device-count"
* item[0].item[1].text = "Nasal spray devices used"
* item[0].item[1].answer[0].valueInteger = 2
* item[0].item[2].linkId = "dose-start"
* item[0].item[2].text = "Time of the dose (start)"
* item[0].item[2].answer[0].valueDateTime = "2026-03-05T09:15:00Z"
* item[1].linkId = "bp-pre-dose"
* item[1].text = "Blood pressure before the dose"
* item[1].item[0].linkId = "bp-pre-dose-systolic"
* item[1].item[0].text = "Systolic (mmHg)"
* item[1].item[0].answer[0].valueInteger = 128
* item[1].item[1].linkId = "bp-pre-dose-diastolic"
* item[1].item[1].text = "Diastolic (mmHg)"
* item[1].item[1].answer[0].valueInteger = 82
* item[1].item[2].linkId = "bp-pre-dose-time"
* item[1].item[2].text = "Time of the reading"
* item[1].item[2].answer[0].valueDateTime = "2026-03-05T09:05:00Z"
