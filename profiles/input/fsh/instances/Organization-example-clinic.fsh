Instance: ExampleClinic
InstanceOf: Organization
Title: "Example KAP clinic"
Description: "A fictional KAP clinic."
Usage: #example
* insert ExampleClinicId(example-clinic)
* active = true
* name = "Example KAP Clinic"
