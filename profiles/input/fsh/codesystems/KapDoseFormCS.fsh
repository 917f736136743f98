CodeSystem: KapDoseFormCS
Id: kap-dose-form
Title: "KAP Dose Form"
Description: "Dosage forms of racemic ketamine (the contained Medication's form): compounded lozenges, oral solutions and sprays have no RxNorm clinical drug (clinical-codes.md §2). LOCAL: no standard code used."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #injection-solution "Solution for injection" "Ketamine solution for intravenous or intramuscular injection."
* #lozenge "Lozenge (troche)" "A compounded lozenge (troche) dissolved in the mouth."
* #sublingual-tablet "Sublingual tablet" "A compounded rapidly dissolving sublingual tablet."
* #oral-solution "Oral solution" "A compounded oral solution."
* #capsule "Capsule" "A compounded capsule."
* #nasal-spray "Nasal spray" "A compounded racemic ketamine nasal spray."
