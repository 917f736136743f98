Profile: KapSessionEncounter
Parent: Encounter
Id: kap-session-encounter
Title: "KAP Session Encounter Profile"
Description: "One KAP session (assessment, preparation, dosing, integration or follow-up)."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* class = $v3ActCode#AMB
* type 1..1 MS
* type from KapSessionTypeVS (required)
* subject 1..1 MS
* subject only Reference(KapPatient)
* episodeOfCare MS
* episodeOfCare only Reference(KapEpisode)
* period 1..1 MS
* participant MS
* participant.individual only Reference(Practitioner)
* serviceProvider MS
* serviceProvider only Reference(Organization)
