Instance: ExamplePhq9Change
InstanceOf: KapChangeFromBaseline
Title: "Example PHQ-9 change from baseline"
Description: "PHQ-9 5 at baseline, 2 at week 4: a 60 % reduction (3 points; positive = improvement), response (reduction of 50 % or more) and remission (total below 5)."
Usage: #example
* insert ExampleClinicId(phq9-example-2-change)
* status = #final
* category[survey] = $obsCat#survey "Survey"
* code = KapObservationCS#phq9-change "PHQ-9 change from baseline"
* subject = Reference(ExamplePatient)
* effectiveDateTime = "2026-03-23T10:00:00Z"
* valueQuantity = 60 '%' "%"
* derivedFrom[0] = Reference(ExamplePhq9Score)
* derivedFrom[1] = Reference(ExamplePhq9ScoreWeek4)
* component[changePoints].code = KapObservationCS#change-points "Points of change from baseline"
* component[changePoints].valueInteger = 3
* component[response].code = KapObservationCS#response "Response"
* component[response].valueBoolean = true
* component[remission].code = KapObservationCS#remission "Remission"
* component[remission].valueBoolean = true
