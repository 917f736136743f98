CodeSystem: KapScreeningCS
Id: kap-screening
Title: "KAP Screening"
Description: "Contraindication and precaution screening items before ketamine or esketamine (the Spravato and ketamine labels' contraindications and warnings), and \"none known\". LOCAL: no standard code found for the screening question of each."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #pregnancy "Pregnancy" "The patient is pregnant."
* #psychosis-or-mania-history "History of psychosis or mania" "A history of psychosis or of mania."
* #substance-use-disorder "Substance use disorder" "A current or past substance use disorder."
* #aneurysmal-vascular-disease-or-avm "Aneurysmal vascular disease or arteriovenous malformation" "Aneurysmal vascular disease (intracranial, thoracic or abdominal aorta, arterial) or an arteriovenous malformation."
* #intracerebral-hemorrhage-history "History of intracerebral haemorrhage" "A past intracerebral haemorrhage."
* #uncontrolled-hypertension "Uncontrolled hypertension" "Hypertension not controlled by treatment."
* #ketamine-hypersensitivity "Hypersensitivity to ketamine or esketamine" "A known hypersensitivity to ketamine, esketamine or an excipient."
* #none-known "No contraindication or precaution known" "The screening found no contraindication or precaution."
