Instance: ExampleSafetyCommunication
InstanceOf: KapSafetyCommunication
Title: "Example safety communication"
Description: "The pre-dose BP signal sent to the prescriber."
Usage: #example
* insert ExampleClinicId(session-dosing-1-bp-predose-high)
* status = #completed
* priority = #urgent
* subject = Reference(ExamplePatient)
* about = Reference(ExampleSafetySignal)
* recipient = Reference(ExamplePrescriber)
* sent = "2026-03-02T09:17:00Z"
* payload[0].contentReference = Reference(ExampleSafetySignal)
