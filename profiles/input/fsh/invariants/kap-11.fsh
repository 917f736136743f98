Invariant: kap-11
Description: "A C-SSRS risk result (LOINC 93374-7) carries a CodeableConcept; every other instrument result an integer total."
* severity = #error
* expression = "(code.coding.where(system = 'http://loinc.org' and code = '93374-7').exists() implies value.ofType(CodeableConcept).exists()) and (code.coding.where(system = 'http://loinc.org' and code = '93374-7').exists().not() implies value.ofType(integer).exists())"
