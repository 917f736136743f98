Invariant: kap-4
Description: "A MADRS total score is an integer from 0 to 60."
* severity = #error
* expression = "code.coding.where(system = 'https://kap-fhir.org/fhir/CodeSystem/kap-observation' and code = 'madrs-total').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 60)"
