ValueSet: KapIndicationVS
Id: kap-indication-vs
Title: "KAP Indication"
Description: "ICD-10-CM indications for KAP (clinical-codes.md §6)."
* ^status = #draft
* ^experimental = false
* $icd10cm#F32.0 "Major depressive disorder, single episode, mild"
* $icd10cm#F32.1 "Major depressive disorder, single episode, moderate"
* $icd10cm#F32.2 "Major depressive disorder, single episode, severe without psychotic features"
* $icd10cm#F32.9 "Major depressive disorder, single episode, unspecified"
* $icd10cm#F32.A "Depression, unspecified"
* $icd10cm#F33.0 "Major depressive disorder, recurrent, mild"
* $icd10cm#F33.1 "Major depressive disorder, recurrent, moderate"
* $icd10cm#F33.2 "Major depressive disorder, recurrent severe without psychotic features"
* $icd10cm#F33.9 "Major depressive disorder, recurrent, unspecified"
* $icd10cm#F41.1 "Generalized anxiety disorder"
* $icd10cm#F43.10 "Post-traumatic stress disorder, unspecified"
* $icd10cm#F43.12 "Post-traumatic stress disorder, chronic"
* $icd10cm#F42.2 "Mixed obsessional thoughts and acts"
* $icd10cm#G89.29 "Other chronic pain"
* $icd10cm#G89.4 "Chronic pain syndrome"
* $icd10cm#F31.30 "Bipolar disorder, current episode depressed, mild or moderate severity, unspecified"
* $icd10cm#F31.4 "Bipolar disorder, current episode depressed, severe, without psychotic features"
* $icd10cm#F31.5 "Bipolar disorder, current episode depressed, severe, with psychotic features"
