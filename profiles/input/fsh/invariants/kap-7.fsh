Invariant: kap-7
Description: "The dose given is more than 0 mg."
* severity = #error
* expression = "dosage.dose.value.exists() implies dosage.dose.value > 0"
