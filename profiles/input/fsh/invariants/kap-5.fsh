Invariant: kap-5
Description: "A QIDS-SR16 total score is an integer from 0 to 27."
* severity = #error
* expression = "code.coding.where(system = 'https://kap-fhir.org/fhir/CodeSystem/kap-observation' and code = 'qids-sr16-total').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 27)"
