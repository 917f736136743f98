Instance: ExampleMedicationStatementNone
InstanceOf: KapMedicationStatement
Title: "Example medication review: no known medications"
Description: "At the dosing session the medication review finds no current medication (the benzodiazepine was tapered off before the course): IPS no-known-medications, which differs from no MedicationStatement at all (not asked)."
Usage: #example
* insert ExampleClinicId(session-dosing-1-med-none)
* status = #active
* medicationCodeableConcept = $ipsAbsentUnknown#no-known-medications "No known medications"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleDosingEncounter)
* effectiveDateTime = "2026-03-02T09:05:00Z"
* dateAsserted = "2026-03-02T09:05:00Z"
