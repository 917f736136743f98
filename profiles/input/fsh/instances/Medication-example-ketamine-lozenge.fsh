Instance: ExampleKetamineLozenge
InstanceOf: KapCompoundedKetamine
Title: "Example compounded ketamine lozenge"
Description: "Racemic ketamine 100 mg lozenge (troche), contained as `#med` in the lozenge prescription and dose."
Usage: #inline
* id = "med"
* code = $rxnorm#6130 "ketamine"
* form = KapDoseFormCS#lozenge "Lozenge (troche)"
* form.text = "Lozenge (troche)"
* ingredient[0].itemCodeableConcept = $rxnorm#6130 "ketamine"
* ingredient[0].isActive = true
* ingredient[0].strength.numerator = 100 'mg' "mg"
* ingredient[0].strength.denominator = 1 '1' "Lozenge (troche)"
