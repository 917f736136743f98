Invariant: kap-14
Description: "A medication given by reference is a contained Medication (#id)."
* severity = #error
* expression = "medication.ofType(Reference).exists() implies (medication.ofType(Reference).reference.startsWith('#') and contained.ofType(Medication).exists())"
