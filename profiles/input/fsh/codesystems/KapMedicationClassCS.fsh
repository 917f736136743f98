CodeSystem: KapMedicationClassCS
Id: kap-medication-class
Title: "KAP Medication Class"
Description: "Classes of current medications that matter to ketamine and esketamine dosing (issue 13; the Spravato REMS Patient Monitoring Form asks for benzodiazepines, non-benzodiazepine hypnotics, psychostimulants and MAOIs). LOCAL: no standard code system groups medications this way."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #benzodiazepine "Benzodiazepine" "A benzodiazepine: sedation; may blunt the antidepressant response."
* #non-benzodiazepine-hypnotic "Non-benzodiazepine hypnotic" "A Z-drug or other non-benzodiazepine hypnotic: sedation."
* #psychostimulant "Psychostimulant" "An amphetamine, methylphenidate or other psychostimulant: blood pressure."
* #maoi "Monoamine oxidase inhibitor" "A monoamine oxidase inhibitor: blood pressure."
* #opioid "Opioid" "An opioid: sedation and respiratory depression."
* #other-cns-depressant "Other CNS depressant" "Another central nervous system depressant (alcohol excluded): sedation."
* #lamotrigine "Lamotrigine" "Lamotrigine: may blunt the response to ketamine."
* #other "Other medication" "A medication of no class above."
