Profile: KapBloodPressure
Parent: http://hl7.org/fhir/StructureDefinition/vitalsigns
Id: kap-blood-pressure
Title: "KAP Blood Pressure Profile"
Description: "Blood pressure (85354-9 panel, systolic and diastolic components in mm[Hg]) taken around a KAP dose. States the constraints of the core `bp` profile without deriving from it: `bp` re-slices `component[SystolicBP].code.coding` inside its component slices, a nesting that Medplum's validator misreads (a Medplum server with the package loaded refused every valid blood pressure). Here the components are sliced by pattern on `code`, with no slice inside a slice."
* insert KapProfileMeta
* insert KapVitalSign
// What validates against this profile validates against core `bp` (its rules are restated here): a validator
// may skip `bp` where R4 implies it for an 85354-9 Observation (test/profiles/blood-pressure-complies.test.ts).
* ^extension[0].url = "http://hl7.org/fhir/StructureDefinition/structuredefinition-compliesWithProfile"
* ^extension[0].valueCanonical = "http://hl7.org/fhir/StructureDefinition/bp"
// the panel code, as core `bp`
* code.coding ^slicing.discriminator[0].type = #value
* code.coding ^slicing.discriminator[0].path = "code"
* code.coding ^slicing.discriminator[1].type = #value
* code.coding ^slicing.discriminator[1].path = "system"
* code.coding ^slicing.ordered = false
* code.coding ^slicing.rules = #open
* code.coding contains BPCode 1..1
* code.coding[BPCode].system 1..1
* code.coding[BPCode].system = $loinc (exactly)
* code.coding[BPCode].code 1..1
* code.coding[BPCode].code = #85354-9 (exactly)
* value[x] 0..0
// systolic and diastolic components: sliced by pattern on the component's code (a LOINC coding)
* component 2..* MS
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.ordered = false
* component ^slicing.rules = #open
* component contains SystolicBP 1..1 MS and DiastolicBP 1..1 MS
* component[SystolicBP].code MS
* component[SystolicBP].code = $loinc#8480-6
* insert KapBpComponentValue(SystolicBP)
* component[DiastolicBP].code MS
* component[DiastolicBP].code = $loinc#8462-4
* insert KapBpComponentValue(DiastolicBP)
