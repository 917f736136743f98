Instance: ExamplePrescriber
InstanceOf: Practitioner
Title: "Example prescriber"
Description: "A fictional prescriber."
Usage: #example
* insert ExampleClinicId(prac-prescriber)
* name.family = "Prescriber"
* name.given = "Example"
