Invariant: kap-12
Description: "A CADSS total score (23 items) is an integer from 0 to 92."
* severity = #error
* expression = "code.coding.where(system = 'https://kap-fhir.org/fhir/CodeSystem/kap-observation' and code = 'cadss-total').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 92)"
