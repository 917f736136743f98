Invariant: kap-2
Description: "A GAD-7 total score is an integer from 0 to 21."
* severity = #error
* expression = "code.coding.where(system = 'http://loinc.org' and code = '70274-6').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 21)"
