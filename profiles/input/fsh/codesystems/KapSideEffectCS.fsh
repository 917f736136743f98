CodeSystem: KapSideEffectCS
Id: kap-side-effect
Title: "KAP Side Effect"
Description: "Side effects with no SNOMED CT concept found (clinical-codes.md §8, §9)."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #dissociation "Dissociation" "Dissociative experience during or after dosing."
* #depersonalization "Depersonalization" "Feeling detached from oneself."
* #derealization "Derealization" "Surroundings feel unreal."
* #hallucination "Hallucination" "Perception without an external stimulus."
* #other "Other" "Another side effect, described in text."
