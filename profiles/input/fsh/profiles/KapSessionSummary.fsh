Profile: KapSessionSummary
Parent: Composition
Id: kap-session-summary
Title: "KAP Session Summary Profile"
Description: "The summary of one ketamine dosing session for the prescriber and the EHR (issue 14): the first entry of a `document` Bundle, made from the mapped resources of the episode. A final progress note (LOINC 11506-3) about the patient and the session Encounter, authored by the clinic, with one section per part (kap-summary-section): prescription, dose, medications, vital signs, dissociation and sedation, side effects, safety signals, scores, care team, plan. Every section has a generated XHTML narrative and cites the resources it shows."
* insert KapProfileMeta
* identifier 1..1 MS
* identifier.system 1..1 MS
* identifier.value 1..1 MS
* status = #final
* type = $loinc#11506-3
* subject 1..1 MS
* subject only Reference(Patient)
* encounter 1..1 MS
* encounter only Reference(Encounter)
* date MS
* author 1..* MS
* author only Reference(Organization or Practitioner)
* title 1..1 MS
* custodian 1..1 MS
* custodian only Reference(Organization)
* section 1..* MS
* section.title 1..1 MS
* section.code 1..1 MS
* section.code from KapSummarySectionVS (required)
* section.text 1..1 MS
* section.text.status = #generated
* section.entry MS
* section ^slicing.discriminator.type = #pattern
* section ^slicing.discriminator.path = "code"
* section ^slicing.rules = #open
* section ^slicing.description = "By section code: the dose section is always there."
* section contains dose 1..1 MS and plan 0..1 MS
* section[dose].code = KapSummarySectionCS#dose
* section[dose].entry 1..* MS
* section[dose].entry only Reference(MedicationAdministration or Observation)
* section[plan].code = KapSummarySectionCS#plan
