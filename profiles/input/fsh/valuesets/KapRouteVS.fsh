ValueSet: KapRouteVS
Id: kap-route-vs
Title: "KAP Route"
Description: "Routes of ketamine and esketamine administration (SNOMED CT, clinical-codes.md §3)."
* ^status = #draft
* ^experimental = false
* $sct#47625008 "Intravenous route"
* $sct#78421000 "Intramuscular route"
* $sct#46713006 "Nasal route"
* $sct#26643006 "Oral route"
* $sct#37839007 "Sublingual route"
* $sct#54471007 "Buccal route"
