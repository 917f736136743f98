Instance: ExampleCompoundedKetamine
InstanceOf: KapCompoundedKetamine
Title: "Example compounded ketamine oral solution"
Description: "Racemic ketamine 50 mg/mL compounded oral solution, as a stand-alone Medication (the mapping contains it in the MedicationAdministration or MedicationRequest as `#med`)."
Usage: #example
* code = $rxnorm#6130 "ketamine"
* form = KapDoseFormCS#oral-solution "Oral solution"
* form.text = "Oral solution"
* ingredient[0].itemCodeableConcept = $rxnorm#6130 "ketamine"
* ingredient[0].isActive = true
* ingredient[0].strength.numerator = 50 'mg' "mg"
* ingredient[0].strength.denominator = 1 'mL' "mL"
