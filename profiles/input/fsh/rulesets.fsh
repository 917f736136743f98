// Shared rules of the KAP profiles.

// Every resource kap-fhir makes carries the clinic's business identifier (docs/conventions.md).
RuleSet: KapIdentified
* identifier 1..* MS
* identifier.system 1..1 MS
* identifier.value 1..1 MS

// Profile metadata.
RuleSet: KapProfileMeta
* ^status = #draft
* ^experimental = false
* ^publisher = "kap-fhir"

// Extension metadata.
RuleSet: KapExtensionMeta
* ^status = #draft
* ^experimental = false
* ^publisher = "kap-fhir"

// Vital-sign observations taken around a dose: dosing phase, the dose they belong to, patient and session.
RuleSet: KapVitalSign
* insert KapIdentified
* extension contains KapDosingPhase named dosingPhase 0..1 MS
* extension[dosingPhase].value[x] MS
* partOf only Reference(KapKetamineAdministration)
* partOf MS
* subject only Reference(KapPatient)
* encounter only Reference(KapSessionEncounter)
* encounter MS
* effective[x] only dateTime
* effectiveDateTime 1..1 MS

// Observation.category slice `survey` (pattern discriminator).
RuleSet: KapSurveyCategory
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category contains survey 1..1 MS
* category[survey] = $obsCat#survey

// Business identifier of an example instance (fictional clinic `example-clinic`).
RuleSet: ExampleClinicId(value)
* identifier[0].system = "https://kap-fhir.org/fhir/clinic/example-clinic"
* identifier[0].value = "{value}"

// A blood-pressure component's value: a UCUM mm[Hg] Quantity (as in core `bp`).
RuleSet: KapBpComponentValue(slice)
* component[{slice}].value[x] only Quantity
* component[{slice}].value[x] MS
* component[{slice}].valueQuantity.value 1..1 MS
* component[{slice}].valueQuantity.unit 1..1 MS
* component[{slice}].valueQuantity.system 1..1 MS
* component[{slice}].valueQuantity.system = $ucum (exactly)
* component[{slice}].valueQuantity.code 1..1 MS
* component[{slice}].valueQuantity.code = #mm[Hg] (exactly)

// Observation.category slice `exam` (pattern discriminator): findings a clinician observes in a dosing session.
RuleSet: KapExamCategory
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category contains exam 1..1 MS
* category[exam] = $obsCat#exam

// Observations about one dosing session as a whole (respiratory depression, discharge readiness, plan): the
// patient, the session, the dose they belong to (also a dose held: its MedicationAdministration is `not-done`), a time.
RuleSet: KapDosingSessionFinding
* insert KapIdentified
* status MS
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter 1..1 MS
* encounter only Reference(KapSessionEncounter)
* partOf 1..1 MS
* partOf only Reference(KapKetamineAdministration)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS

// Observation.component sliced by the pattern of its code (open): add slices with `component contains ...`.
RuleSet: KapComponentsByCode
* component MS
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #open

// One component slice: its fixed code and the only type of its value.
RuleSet: KapComponentSlice(slice, code, type)
* component[{slice}].code = {code}
* component[{slice}].value[x] only {type}
* component[{slice}].value[x] 1..1 MS

