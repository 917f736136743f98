ValueSet: KapAdverseEventSeriousnessVS
Id: kap-adverse-event-seriousness-vs
Title: "KAP Adverse Event Seriousness"
Description: "Seriousness of a side effect: the codes of HL7 Terminology (THO) adverse-event-seriousness 1.0.1, `serious` and `non-serious`. FHIR R4.0.1's bundled copy of that code system spells them `Serious` / `Non-serious` (and its value set adverse-event-seriousness expands to those), so the KAP profile binds this value set instead; THO is the source of truth for terminology.hl7.org systems."
* ^status = #draft
* ^experimental = false
* $aeSeriousness#serious "Serious"
* $aeSeriousness#non-serious "Non-serious"
