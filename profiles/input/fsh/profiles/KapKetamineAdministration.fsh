Profile: KapKetamineAdministration
Parent: MedicationAdministration
Id: kap-ketamine-administration
Title: "KAP Ketamine Administration Profile"
Description: "One supervised ketamine or esketamine dose in a KAP dosing session: given (completed), held or refused (not-done, with its reason; dosage.dose is the dose planned) or partly given (stopped). Esketamine is its RxNorm product (medicationCodeableConcept); racemic ketamine a contained Medication with its form and strength (medicationReference `#med`). A self-administered esketamine dose names the patient as performer and the supervising clinician as witness."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-7 and kap-14 and kap-17
* extension contains KapLotNumber named lotNumber 0..1 MS
* extension[lotNumber].value[x] MS
* extension contains KapDeviceCount named deviceCount 0..1 MS
* extension[deviceCount].value[x] MS
* status MS
* status from KapDoseStatusVS (required)
* statusReason MS
* statusReason from KapDoseStatusReasonVS (required)
* medication[x] only CodeableConcept or Reference(KapCompoundedKetamine)
* medication[x] MS
* medication[x] from KapKetamineProductVS (required)
* subject only Reference(KapPatient)
* context 1..1 MS
* context only Reference(KapSessionEncounter)
* effective[x] MS
* performer 1..* MS
* performer.function MS
* performer.function from http://hl7.org/fhir/ValueSet/med-admin-perform-function (required)
* performer.actor only Reference(Practitioner or KapPatient)
* request 1..1 MS
* request only Reference(KapKetaminePrescription)
* supportingInformation MS
* supportingInformation only Reference(KapBodyWeight)
* dosage 1..1 MS
* dosage.extension contains KapDosePerBodyWeight named dosePerBodyWeight 0..1 MS
* dosage.extension[dosePerBodyWeight].value[x] MS
* dosage.route 1..1 MS
* dosage.route from KapRouteVS (required)
* dosage.dose 1..1 MS
* dosage.dose.value 1..1 MS
* dosage.dose.system 1..1 MS
* dosage.dose.system = $ucum (exactly)
* dosage.dose.code 1..1 MS
* dosage.dose.code = #mg (exactly)
* dosage.rate[x] only Ratio
* dosage.rate[x] MS
* dosage.rateRatio.numerator.system = $ucum (exactly)
* dosage.rateRatio.numerator.code = #mg (exactly)
* dosage.rateRatio.denominator.system = $ucum (exactly)
* dosage.rateRatio.denominator.code = #min (exactly)
