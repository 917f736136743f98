Instance: ExampleEpisode
InstanceOf: KapEpisode
Title: "Example KAP episode"
Description: "A KAP course of treatment, version 1."
Usage: #example
* insert ExampleClinicId(episode-example)
* extension[sourceVersion].valueInteger = 1
* status = #active
* patient = Reference(ExamplePatient)
* managingOrganization = Reference(ExampleClinic)
* period.start = "2026-03-02"
* diagnosis[0].condition = Reference(ExampleCondition)
