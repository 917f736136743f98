Invariant: kap-rems-1
Description: "The REMS monitoring record answers the spravato-rems-monitoring Questionnaire."
* severity = #error
* expression = "questionnaire = 'https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring' or questionnaire.startsWith('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring|')"
