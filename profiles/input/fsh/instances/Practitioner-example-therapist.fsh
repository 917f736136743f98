Instance: ExampleTherapist
InstanceOf: Practitioner
Title: "Example therapist"
Description: "A fictional therapist."
Usage: #example
* insert ExampleClinicId(prac-therapist)
* name.family = "Therapist"
* name.given = "Example"
