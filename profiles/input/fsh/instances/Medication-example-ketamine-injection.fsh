Instance: ExampleKetamineInjection
InstanceOf: KapCompoundedKetamine
Title: "Example ketamine solution for injection"
Description: "Racemic ketamine 50 mg/mL solution for injection, contained as `#med` in the IV prescription."
Usage: #inline
* id = "med"
* code = $rxnorm#6130 "ketamine"
* form = KapDoseFormCS#injection-solution "Solution for injection"
* form.text = "Solution for injection"
* ingredient[0].itemCodeableConcept = $rxnorm#6130 "ketamine"
* ingredient[0].isActive = true
* ingredient[0].strength.numerator = 50 'mg' "mg"
* ingredient[0].strength.denominator = 1 'mL' "mL"
