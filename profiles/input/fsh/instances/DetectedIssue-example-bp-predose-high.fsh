Instance: ExampleSafetySignal
InstanceOf: KapSafetySignal
Title: "Example safety signal: pre-dose BP high"
Description: "The dose was given although pre-dose BP was 162/96 mmHg."
Usage: #example
* insert ExampleClinicId(session-dosing-1-bp-predose-high)
* status = #final
* code = KapSafetySignalCS#bp-predose-high "Pre-dose blood pressure high"
* severity = #high
* patient = Reference(ExamplePatient)
* identifiedDateTime = "2026-03-02T09:16:00Z"
* implicated[0] = Reference(ExampleBloodPressure)
* implicated[1] = Reference(ExampleAdministration)
* detail = "Pre-dose blood pressure at or above the configured threshold; a dose was given."
