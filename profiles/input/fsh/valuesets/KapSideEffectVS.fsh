ValueSet: KapSideEffectVS
Id: kap-side-effect-vs
Title: "KAP Side Effect"
Description: "Side effects of KAP dosing: SNOMED CT findings (clinical-codes.md §8) and local codes."
* ^status = #draft
* ^experimental = false
* $sct#422587007 "Nausea"
* $sct#422400008 "Vomiting"
* $sct#404640003 "Dizziness"
* $sct#25064002 "Headache"
* $sct#48694002 "Anxiety"
* $sct#271782001 "Drowsy"
* $sct#24184005 "Elevated blood pressure"
* include codes from system KapSideEffectCS
