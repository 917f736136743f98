CodeSystem: KapDosingPlanCS
Id: kap-dosing-plan
Title: "KAP Dosing Plan"
Description: "The clinician's recommendation for the next dose after a dosing session, for the prescriber. LOCAL: no standard code found."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #continue "Continue the current dose" "Give the next dose as prescribed."
* #increase "Increase the dose" "Increase the next dose."
* #decrease "Decrease the dose" "Decrease the next dose."
* #hold "Hold the next dose" "Do not give the next dose until reviewed."
* #stop "Stop treatment" "Stop the course."
* #reassess "Reassess before the next dose" "Reassess the patient before the next dose."
