Invariant: kap-6
Description: "A CADSS-6 total score is an integer from 0 to 24."
* severity = #error
* expression = "code.coding.where(system = 'https://kap-fhir.org/fhir/CodeSystem/kap-observation' and code = 'cadss6-total').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 24)"
