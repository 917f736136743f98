Invariant: kap-rems-2
Description: "A REMS monitoring record is in progress (a required field missing) or completed."
* severity = #error
* expression = "status = 'in-progress' or status = 'completed'"
