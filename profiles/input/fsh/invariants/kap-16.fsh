Invariant: kap-16
Description: "A screening item carries its answer (valueBoolean) or why it is unknown (dataAbsentReason)."
* severity = #error
* expression = "value.exists() or dataAbsentReason.exists()"
