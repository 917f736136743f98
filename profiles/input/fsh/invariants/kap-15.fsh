Invariant: kap-15
Description: "A medication prescribed by reference is a contained Medication (#id)."
* severity = #error
* expression = "medication.ofType(Reference).exists() implies (medication.ofType(Reference).reference.startsWith('#') and contained.ofType(Medication).exists())"
