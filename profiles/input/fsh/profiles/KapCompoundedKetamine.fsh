Profile: KapCompoundedKetamine
Parent: Medication
Id: kap-compounded-ketamine
Title: "KAP Compounded Ketamine Profile"
Description: "Racemic ketamine as given or prescribed: RxNorm ketamine with its dosage form and strength. Compounded lozenges (troches), oral solutions and sprays have no RxNorm clinical drug (clinical-codes.md §2), so the product is a Medication contained in the MedicationAdministration or MedicationRequest (`#med`)."
* insert KapProfileMeta
* code 1..1 MS
* code = $rxnorm#6130
* form MS
* form from KapDoseFormVS (required)
* ingredient MS
* ingredient.item[x] only CodeableConcept
* ingredient.itemCodeableConcept = $rxnorm#6130
* ingredient.isActive MS
* ingredient.strength MS
* ingredient.strength.numerator 1..1 MS
* ingredient.strength.numerator.value 1..1 MS
* ingredient.strength.numerator.system 1..1 MS
* ingredient.strength.numerator.system = $ucum (exactly)
* ingredient.strength.numerator.code 1..1 MS
* ingredient.strength.numerator.code = #mg (exactly)
* ingredient.strength.denominator 1..1 MS
* ingredient.strength.denominator.value 1..1 MS
* ingredient.strength.denominator.unit MS
* ingredient.strength.denominator.system 1..1 MS
* ingredient.strength.denominator.system = $ucum (exactly)
* ingredient.strength.denominator.code 1..1 MS
