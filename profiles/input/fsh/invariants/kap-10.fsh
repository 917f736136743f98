Invariant: kap-10
Description: "A safety communication carries the safety signal as a Reference payload."
* severity = #error
* expression = "payload.content.ofType(Reference).exists()"
