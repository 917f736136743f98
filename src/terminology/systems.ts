/**
 * Code system and identifier system URIs (../shared/reference/clinical-codes.md §1, §9).
 * One source of truth: every other module imports these, none writes a URI literal.
 */

/** Canonical base of the KAP FHIR package (profiles/sushi-config.yaml). */
export const KAP_CANONICAL = 'https://kap-fhir.org/fhir';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** CPT is AMA-licensed: send codes with our own short display or none, never the AMA descriptor. */
export const CPT = 'http://www.ama-assn.org/go/cpt';
/** HCPCS Level II (http, not https). */
export const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
export const NPI = 'http://hl7.org/fhir/sid/us-npi';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const ADVERSE_EVENT_SEVERITY = 'http://terminology.hl7.org/CodeSystem/adverse-event-severity';
export const OBSERVATION_INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** A KAP local code system URI: `https://kap-fhir.org/fhir/CodeSystem/<name>`. */
export function kapCodeSystem(name: string): string {
  return `${KAP_CANONICAL}/CodeSystem/${name}`;
}

/** A KAP profile URL: `https://kap-fhir.org/fhir/StructureDefinition/<id>`. */
export function kapProfile(id: string): string {
  return `${KAP_CANONICAL}/StructureDefinition/${id}`;
}

/** A KAP extension URL (extensions are StructureDefinitions too). */
export const kapExtension = kapProfile;

/** A KAP Questionnaire canonical URL: `https://kap-fhir.org/fhir/Questionnaire/<instrumentId>`. */
export function kapQuestionnaire(instrumentId: string): string {
  return `${KAP_CANONICAL}/Questionnaire/${instrumentId}`;
}

/**
 * The business identifier system of one clinic: `https://kap-fhir.org/fhir/clinic/<clinicId>`.
 * Every resource kap-fhir makes carries `{ system: clinicIdentifierSystem(clinic), value: <clinic's own id> }`.
 */
export function clinicIdentifierSystem(clinicId: string): string {
  return `${KAP_CANONICAL}/clinic/${clinicId}`;
}

export const KAP_SESSION_TYPE = kapCodeSystem('kap-session-type');
export const KAP_SIDE_EFFECT = kapCodeSystem('kap-side-effect');
export const KAP_OBSERVATION = kapCodeSystem('kap-observation');
export const KAP_SEVERITY_BAND = kapCodeSystem('kap-severity-band');
export const KAP_CSSRS_RISK = kapCodeSystem('kap-cssrs-risk');
export const KAP_CONDITION_QUALIFIER = kapCodeSystem('kap-condition-qualifier');
export const KAP_SAFETY_SIGNAL = kapCodeSystem('kap-safety-signal');
/** Added by kap-fhir beyond clinical-codes.md §9: pre-dose / during-dose / post-dose. */
export const KAP_DOSING_PHASE = kapCodeSystem('kap-dosing-phase');
/** Added by kap-fhir beyond clinical-codes.md §9: therapist / prescriber / sitter roles in the care team. */
export const KAP_CARE_ROLE = kapCodeSystem('kap-care-role');
