Instance: ExamplePatient
InstanceOf: KapPatient
Title: "Example KAP patient"
Description: "A plainly fictional patient."
Usage: #example
* insert ExampleClinicId(patient-example)
* name.family = "Testpatient"
* name.given = "Avery"
* gender = #other
* birthDate = "1980-01-01"
