Invariant: kap-13
Description: "A MOAA/S score is an integer from 0 to 5."
* severity = #error
* expression = "value.ofType(integer).exists() and value.ofType(integer) >= 0 and value.ofType(integer) <= 5"
