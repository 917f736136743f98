Profile: KapPsychotherapySession
Parent: Procedure
Id: kap-psychotherapy-session
Title: "KAP Psychotherapy Session Profile"
Description: "A preparation, dosing-support or integration psychotherapy session."
* insert KapProfileMeta
* insert KapIdentified
* status MS
* code 1..1 MS
* code = $sct#75516001
* subject only Reference(KapPatient)
* encounter 1..1 MS
* encounter only Reference(KapSessionEncounter)
* performed[x] only Period
* performed[x] 1..1 MS
* performer MS
* performer.actor only Reference(Practitioner)
* partOf MS
* partOf only Reference(KapKetamineAdministration)
