ValueSet: KapKetamineProductVS
Id: kap-ketamine-product-vs
Title: "KAP Ketamine Product"
Description: "Ketamine and esketamine products (RxNorm, clinical-codes.md §2)."
* ^status = #draft
* ^experimental = false
// UNVERIFIED: RxNorm 6130 ketamine ingredient (clinical-codes.md §2): re-check before release
* $rxnorm#6130 "ketamine"
* $rxnorm#2201623 "esketamine Nasal Spray"
* $rxnorm#2201625 "esketamine Nasal Spray [Spravato]"
