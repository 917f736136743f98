Invariant: kap-8
Description: "The QuestionnaireResponse answers a KAP Questionnaire."
* severity = #error
* expression = "questionnaire.startsWith('https://kap-fhir.org/fhir/Questionnaire/')"
