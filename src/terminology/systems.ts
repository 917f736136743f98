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
/** Added for issue 13 (docs/design/issue-13-contract.md): medication classes that matter to ketamine. */
export const KAP_MEDICATION_CLASS = kapCodeSystem('kap-medication-class');
/** Added for issue 13: contraindication and precaution screening items (and `none-known`). */
export const KAP_SCREENING = kapCodeSystem('kap-screening');
/** Added for issue 13: why a dose was held, stopped or refused. */
export const KAP_DOSE_STATUS_REASON = kapCodeSystem('kap-dose-status-reason');
/** Added for issue 13: dosage forms of racemic ketamine (no RxNorm clinical drug, clinical-codes.md §2). */
export const KAP_DOSE_FORM = kapCodeSystem('kap-dose-form');
/** Added for issue 13: the clinician's next-dose recommendation. */
export const KAP_DOSING_PLAN = kapCodeSystem('kap-dosing-plan');
/** Added for issue 13: how the patient went home after a dose. */
export const KAP_DISCHARGE_TRANSPORT = kapCodeSystem('kap-discharge-transport');

// FHIR R4 / HL7 terminology systems used by the mapping for codes that docs/conventions.md names and that
// clinical-codes.md §1 does not list (FHIR R4 core value sets; added by the KAP → FHIR mapping).
/** Condition clinical status (FHIR R4 condition-clinical, required binding). */
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
/** Condition verification status (FHIR R4 condition-ver-status, required binding). */
export const CONDITION_VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
/** Condition category (FHIR R4 condition-category: `problem-list-item`, `encounter-diagnosis`). */
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
/** HL7 v3 DataOperation (Provenance.activity `UPDATE`). */
export const V3_DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
/** HL7 v2 table 0203 identifier types (FHIR R4 identifier-type value set: `MR`, `MB`, `PI`). */
export const V2_IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** FHIR contact point system (phone, email; required binding). */
export const CONTACT_POINT_SYSTEM = 'http://hl7.org/fhir/contact-point-system';
/** MedicationAdministration.performer.function (THO med-admin-perform-function: performer, verifier, witness). */
export const MED_ADMIN_PERFORM_FUNCTION = 'http://terminology.hl7.org/CodeSystem/med-admin-perform-function';
/** AdverseEvent.seriousness (THO adverse-event-seriousness: serious, non-serious). */
export const ADVERSE_EVENT_SERIOUSNESS = 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness';
/** AdverseEvent.outcome (THO adverse-event-outcome, FHIR R4 required binding). */
export const ADVERSE_EVENT_OUTCOME = 'http://terminology.hl7.org/CodeSystem/adverse-event-outcome';
/** Why a value is absent (THO data-absent-reason; FHIR R4 Observation.dataAbsentReason). */
export const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
/** IPS absent/unknown codes (International Patient Summary IG: `no-known-medications`). */
export const IPS_ABSENT_UNKNOWN = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
