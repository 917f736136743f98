Profile: KapEpisodeSummary
Parent: Composition
Id: kap-episode-summary
Title: "KAP Episode Summary Profile"
Description: "The summary of a whole ketamine treatment episode, made on request (issue 14): the first entry of a `document` Bundle, made from the mapped resources of the episode. A final summary of episode note (LOINC 34133-9) about the patient, its event the EpisodeOfCare and the period from the first dose to the end of the last session, authored by the clinic, with one section per part (kap-summary-section): prescription, dosing sessions, scores, safety signals, plan, care team. Every section has a generated XHTML narrative and cites the resources it shows."
* insert KapProfileMeta
* identifier 1..1 MS
* identifier.system 1..1 MS
* identifier.value 1..1 MS
* status = #final
* type = $loinc#34133-9
* subject 1..1 MS
* subject only Reference(Patient)
* date MS
* author 1..* MS
* author only Reference(Organization or Practitioner)
* title 1..1 MS
* custodian 1..1 MS
* custodian only Reference(Organization)
* event 1..* MS
* event.period MS
* event.detail 1..* MS
* event.detail only Reference(EpisodeOfCare)
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
* section ^slicing.description = "By section code: the dosing sessions section is always there."
* section contains dosingSessions 1..1 MS and plan 0..1 MS
* section[dosingSessions].code = KapSummarySectionCS#dosing-sessions
* section[dosingSessions].entry 1..* MS
* section[dosingSessions].entry only Reference(MedicationAdministration)
* section[plan].code = KapSummarySectionCS#plan
