Invariant: kap-9
Description: "The source version is an integer of 1 or more."
* severity = #error
* expression = "value.ofType(integer).exists() and value.ofType(integer) >= 1"
