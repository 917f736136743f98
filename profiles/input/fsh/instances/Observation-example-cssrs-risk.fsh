Instance: ExampleCssrsRisk
InstanceOf: KapInstrumentScore
Title: "Example C-SSRS risk level"
Description: "The C-SSRS screener has no total: its risk level (low) is the result, derived from the example response."
Usage: #example
* insert ExampleClinicId(cssrs-example-1)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = $loinc#93374-7 "Suicide risk level"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleAssessmentEncounter)
* effectiveDateTime = "2026-02-25T10:05:00Z"
* valueCodeableConcept = KapCssrsRiskCS#low "Low"
* derivedFrom = Reference(ExampleCssrsResponse)
