// Aliases for every external system (clinical-codes.md §1). `$`-prefixed so SUSHI flags a misspelt one.
Alias: $loinc = http://loinc.org
Alias: $sct = http://snomed.info/sct
Alias: $rxnorm = http://www.nlm.nih.gov/research/umls/rxnorm
Alias: $ucum = http://unitsofmeasure.org
Alias: $icd10cm = http://hl7.org/fhir/sid/icd-10-cm
Alias: $cpt = http://www.ama-assn.org/go/cpt
Alias: $hcpcs = http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets
Alias: $npi = http://hl7.org/fhir/sid/us-npi
Alias: $obsCat = http://terminology.hl7.org/CodeSystem/observation-category
Alias: $v3ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $aeSeverity = http://terminology.hl7.org/CodeSystem/adverse-event-severity
Alias: $obsInterp = http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation
Alias: $conditionClinical = http://terminology.hl7.org/CodeSystem/condition-clinical
Alias: $conditionVerStatus = http://terminology.hl7.org/CodeSystem/condition-ver-status
Alias: $conditionCategory = http://terminology.hl7.org/CodeSystem/condition-category
Alias: $v3DataOperation = http://terminology.hl7.org/CodeSystem/v3-DataOperation
