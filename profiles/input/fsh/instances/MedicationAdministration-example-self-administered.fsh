Instance: ExampleSelfAdministeredDose
InstanceOf: KapKetamineAdministration
Title: "Example self-administered esketamine dose"
Description: "56 mg esketamine nasal spray (2 devices) sprayed by the patient, supervised by the prescriber (performer function: performer and witness)."
Usage: #example
* insert ExampleClinicId(session-dosing-2)
* extension[deviceCount].valuePositiveInt = 2
* status = #completed
* medicationCodeableConcept = $rxnorm#2201625 "esketamine Nasal Spray [Spravato]"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleSelfAdministeredEncounter)
* effectiveDateTime = "2026-03-05T09:15:00Z"
* performer[0].function = $medAdminPerformFunction#performer "Performer"
* performer[0].actor = Reference(ExamplePatient)
* performer[1].function = $medAdminPerformFunction#witness "Witness"
* performer[1].actor = Reference(ExamplePrescriber)
* request = Reference(ExamplePrescription)
* dosage.route = $sct#46713006 "Nasal route"
* dosage.dose = 56 'mg' "mg"
