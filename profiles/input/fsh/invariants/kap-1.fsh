Invariant: kap-1
Description: "A PHQ-9 total score is an integer from 0 to 27."
* severity = #error
* expression = "code.coding.where(system = 'http://loinc.org' and code = '44261-6').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 27)"
