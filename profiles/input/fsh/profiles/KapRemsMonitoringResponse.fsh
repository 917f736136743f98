Profile: KapRemsMonitoringResponse
Parent: KapQuestionnaireResponse
Id: kap-rems-monitoring-response
Title: "KAP Spravato REMS Monitoring Record Profile"
Description: "The Spravato REMS patient monitoring record of one esketamine dosing session (docs/summary.md, section REMS monitoring record): answers to the spravato-rems-monitoring Questionnaire filled from the session's FHIR resources; `completed` when every required field is filled, else `in-progress`. Answers are the item types' values (boolean, integer, dateTime, string), not only Codings. Made by src/rems; not the licensed REMS form."
* insert KapProfileMeta
* obeys kap-rems-1 and kap-rems-2
* encounter 1..1
* author MS
