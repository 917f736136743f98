Profile: KapKetaminePrescription
Parent: MedicationRequest
Id: kap-ketamine-prescription
Title: "KAP Ketamine Prescription Profile"
Description: "A prescription of ketamine or esketamine for a KAP course: the dose in mg or mg/kg (UCUM) in doseAndRate, the written sig in dosageInstruction.text, the minimum interval between sessions as maxDosePerPeriod (the prescribed dose per N days: a limit, not a schedule). Esketamine is its RxNorm product; racemic ketamine a contained Medication with its form and strength (medicationReference `#med`)."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-15
* extension contains KapSessionCount named sessionCount 0..1 MS
* extension[sessionCount].value[x] MS
* status MS
* intent = #order
* medication[x] only CodeableConcept or Reference(KapCompoundedKetamine)
* medication[x] MS
* medication[x] from KapKetamineProductVS (required)
* subject only Reference(KapPatient)
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Practitioner)
* dosageInstruction 1..* MS
* dosageInstruction.text 1..1 MS
* dosageInstruction.maxDosePerPeriod MS
* dosageInstruction.extension contains KapDosePerBodyWeight named dosePerBodyWeight 0..1 MS
* dosageInstruction.extension[dosePerBodyWeight].value[x] MS
* dosageInstruction.route 1..1 MS
* dosageInstruction.route from KapRouteVS (required)
* dosageInstruction.doseAndRate MS
* dosageInstruction.doseAndRate.dose[x] only SimpleQuantity
* dosageInstruction.doseAndRate.doseQuantity.system = $ucum (exactly)
* dosageInstruction.doseAndRate.doseQuantity.code from KapDoseUnitVS (required)
* dispenseRequest MS
* dispenseRequest.validityPeriod MS
