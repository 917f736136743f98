Profile: KapBodyWeight
Parent: http://hl7.org/fhir/StructureDefinition/bodyweight
Id: kap-body-weight
Title: "KAP Body Weight Profile"
Description: "Body weight (kg), e.g. the weight a mg/kg dose was calculated from, or the weight recorded with a mg dose (cited by the MedicationAdministration in supportingInformation)."
* insert KapProfileMeta
* insert KapVitalSign
