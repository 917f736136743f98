Profile: KapDischargeReadiness
Parent: Observation
Id: kap-discharge-readiness
Title: "KAP Discharge Readiness Profile"
Description: "Readiness for discharge after a dose: whether the clinic's discharge criteria were met (valueBoolean), the time the patient was ready (effectiveDateTime) and how they went home (component `discharge-transport`). The time they left is the session Encounter's end."
* insert KapProfileMeta
* insert KapDosingSessionFinding
* insert KapExamCategory
* code = KapObservationCS#discharge-readiness
* value[x] only boolean
* value[x] 1..1 MS
* insert KapComponentsByCode
* component contains transport 0..1 MS
* insert KapComponentSlice(transport, KapObservationCS#discharge-transport, CodeableConcept)
* component[transport].valueCodeableConcept from KapDischargeTransportVS (required)
