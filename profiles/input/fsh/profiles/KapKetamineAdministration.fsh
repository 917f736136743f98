Profile: KapKetamineAdministration
Parent: MedicationAdministration
Id: kap-ketamine-administration
Title: "KAP Ketamine Administration Profile"
Description: "One supervised ketamine or esketamine dose in a KAP dosing session."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-7
* extension contains KapLotNumber named lotNumber 0..1 MS
* extension[lotNumber].value[x] MS
* status MS
* medication[x] only CodeableConcept
* medication[x] MS
* medicationCodeableConcept from KapKetamineProductVS (required)
* subject only Reference(KapPatient)
* context 1..1 MS
* context only Reference(KapSessionEncounter)
* effective[x] MS
* performer 1..* MS
* performer.actor only Reference(Practitioner)
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
