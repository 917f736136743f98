CodeSystem: KapDosingPhaseCS
Id: kap-dosing-phase
Title: "KAP Dosing Phase"
Description: "When a KAP observation was taken relative to the dose."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #pre-dose "Pre-dose" "Before the dose was given."
* #during-dose "During dose" "While the drug acts, between the dose and discharge readiness."
* #post-dose "Post-dose" "After the acute effects, up to discharge."
