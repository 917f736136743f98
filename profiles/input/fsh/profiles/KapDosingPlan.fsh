Profile: KapDosingPlan
Parent: Observation
Id: kap-dosing-plan
Title: "KAP Dosing Plan Profile"
Description: "The clinician's plan after a dosing session, for the prescriber: the next-dose recommendation (valueCodeableConcept from kap-dosing-plan), the dose recommended (component `recommended-dose`, UCUM mg or mg/kg), a short note, and who wrote it (performer)."
* insert KapProfileMeta
* insert KapDosingSessionFinding
* code = KapObservationCS#dosing-plan
* performer 1..1 MS
* performer only Reference(Practitioner)
* value[x] only CodeableConcept
* value[x] 1..1 MS
* valueCodeableConcept from KapDosingPlanVS (required)
* note MS
* insert KapComponentsByCode
* component contains recommendedDose 0..1 MS
* insert KapComponentSlice(recommendedDose, KapObservationCS#recommended-dose, Quantity)
* component[recommendedDose].valueQuantity.value 1..1 MS
* component[recommendedDose].valueQuantity.system 1..1 MS
* component[recommendedDose].valueQuantity.system = $ucum (exactly)
* component[recommendedDose].valueQuantity.code 1..1 MS
* component[recommendedDose].valueQuantity.code from KapDoseUnitVS (required)
