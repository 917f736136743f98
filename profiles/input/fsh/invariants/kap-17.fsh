Invariant: kap-17
Description: "A dose held, refused (not-done) or partly given (stopped) carries its reason."
* severity = #error
* expression = "(status = 'not-done' or status = 'stopped') implies statusReason.exists()"
