Profile: KapEpisode
Parent: EpisodeOfCare
Id: kap-episode
Title: "KAP Episode Profile"
Description: "A KAP course of treatment, carrying the clinic's source version of the episode."
* insert KapProfileMeta
* insert KapIdentified
* extension contains KapSourceVersion named sourceVersion 1..1 MS
* extension[sourceVersion].value[x] MS
* status MS
* patient only Reference(KapPatient)
* patient MS
* managingOrganization 1..1 MS
* managingOrganization only Reference(Organization)
* period MS
* diagnosis MS
* diagnosis.condition only Reference(KapCondition)
* team MS
* team only Reference(CareTeam)
