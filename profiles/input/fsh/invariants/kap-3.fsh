Invariant: kap-3
Description: "A PCL-5 total score is an integer from 0 to 80."
* severity = #error
* expression = "code.coding.where(system = 'http://loinc.org' and code = '101698-9').exists() implies (value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 80)"
