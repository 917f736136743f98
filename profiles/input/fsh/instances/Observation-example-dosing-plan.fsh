Instance: ExampleDosingPlan
InstanceOf: KapDosingPlan
Title: "Example dosing plan"
Description: "The prescriber's plan after the session: increase the next dose to 84 mg."
Usage: #example
* insert ExampleClinicId(session-dosing-1-plan)
* status = #final
* code = KapObservationCS#dosing-plan "Plan and next-dose recommendation"
* subject = Reference(ExamplePatient)
* encounter = Reference(ExampleDosingEncounter)
* partOf = Reference(ExampleAdministration)
* effectiveDateTime = "2026-03-02T11:25:00Z"
* performer = Reference(ExamplePrescriber)
* valueCodeableConcept = KapDosingPlanCS#increase "Increase the dose"
* component[recommendedDose].code = KapObservationCS#recommended-dose "Recommended next dose"
* component[recommendedDose].valueQuantity = 84 'mg' "mg"
* note[0].text = "Well tolerated, little response yet: 84 mg from the next session."
