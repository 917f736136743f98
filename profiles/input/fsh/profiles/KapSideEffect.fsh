Profile: KapSideEffect
Parent: AdverseEvent
Id: kap-side-effect
Title: "KAP Side Effect Profile"
Description: "A side effect observed in a KAP dosing session, with its severity and the suspected dose."
* insert KapProfileMeta
* identifier 1..1 MS
* identifier.system 1..1 MS
* identifier.value 1..1 MS
* actuality = #actual
* event 1..1 MS
* event from KapSideEffectVS (required)
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* date MS
* severity 1..1 MS
* suspectEntity MS
* suspectEntity.instance only Reference(KapKetamineAdministration)
* seriousness MS
* seriousness from KapAdverseEventSeriousnessVS (required)
* outcome MS
* outcome from http://hl7.org/fhir/ValueSet/adverse-event-outcome (required)
