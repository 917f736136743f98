Instance: ExampleDischargeReadiness
InstanceOf: KapDischargeReadiness
Title: "Example discharge readiness"
Description: "Discharge criteria met 2 hours after the esketamine dose; escorted home by a responsible adult."
Usage: #example
* insert ExampleClinicId(session-dosing-1-discharge)
* status = #final
* category[exam] = $obsCat#exam "Exam"
* code = KapObservationCS#discharge-readiness "Ready for discharge"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T11:20:00Z"
* valueBoolean = true
* component[transport].code = KapObservationCS#discharge-transport "Transport home"
* component[transport].valueCodeableConcept = KapDischargeTransportCS#responsible-adult "Escorted by a responsible adult"
