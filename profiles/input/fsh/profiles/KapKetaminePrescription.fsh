Profile: KapKetaminePrescription
Parent: MedicationRequest
Id: kap-ketamine-prescription
Title: "KAP Ketamine Prescription Profile"
Description: "A prescription of ketamine or esketamine for a KAP course."
* insert KapProfileMeta
* insert KapIdentified
* extension contains KapSessionCount named sessionCount 0..1 MS
* extension[sessionCount].value[x] MS
* status MS
* intent = #order
* medication[x] only CodeableConcept
* medication[x] MS
* medicationCodeableConcept from KapKetamineProductVS (required)
* subject only Reference(KapPatient)
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Practitioner)
* dosageInstruction 1..* MS
* dosageInstruction.extension contains KapDosePerBodyWeight named dosePerBodyWeight 0..1 MS
* dosageInstruction.extension[dosePerBodyWeight].value[x] MS
* dosageInstruction.route 1..1 MS
* dosageInstruction.route from KapRouteVS (required)
* dosageInstruction.doseAndRate MS
* dosageInstruction.doseAndRate.dose[x] only SimpleQuantity
* dosageInstruction.doseAndRate.doseQuantity.system = $ucum (exactly)
* dosageInstruction.doseAndRate.doseQuantity.code = #mg (exactly)
* dispenseRequest MS
* dispenseRequest.validityPeriod MS
