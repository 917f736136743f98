/**
 * Local codes (clinical-codes.md §9, base https://kap-fhir.org/fhir/CodeSystem/) and the other codes the
 * mapping needs from HL7 terminology (encounter class, identifier type, provenance activity).
 */
import type { KapCoding } from './coding.js';
import {
  KAP_CARE_ROLE,
  KAP_CONDITION_QUALIFIER,
  KAP_DOSING_PHASE,
  KAP_OBSERVATION,
  KAP_SESSION_TYPE,
  V2_IDENTIFIER_TYPE,
  V3_ACT_CODE,
  V3_DATA_OPERATION,
} from './systems.js';

/** `kap-session-type`: one code per session kind. */
export const SESSION_TYPES: Readonly<
  Record<'assessment' | 'preparation' | 'dosing' | 'integration' | 'follow-up', KapCoding>
> = {
  assessment: { system: KAP_SESSION_TYPE, code: 'assessment', display: 'Intake assessment' },
  preparation: { system: KAP_SESSION_TYPE, code: 'preparation', display: 'Preparation session' },
  dosing: { system: KAP_SESSION_TYPE, code: 'dosing', display: 'Dosing session' },
  integration: { system: KAP_SESSION_TYPE, code: 'integration', display: 'Integration session' },
  'follow-up': { system: KAP_SESSION_TYPE, code: 'follow-up', display: 'Follow-up session' },
};

/** `kap-dosing-phase`: when a vital sign or score was taken relative to the dose. */
export const DOSING_PHASE_CODES: Readonly<Record<'pre-dose' | 'during-dose' | 'post-dose', KapCoding>> = {
  'pre-dose': { system: KAP_DOSING_PHASE, code: 'pre-dose', display: 'Before the dose' },
  'during-dose': { system: KAP_DOSING_PHASE, code: 'during-dose', display: 'During the dose' },
  'post-dose': { system: KAP_DOSING_PHASE, code: 'post-dose', display: 'After the dose' },
};

/** `kap-care-role`: roles in the KAP care team. */
export const CARE_ROLE_CODES: Readonly<
  Record<'therapist' | 'prescriber' | 'sitter' | 'administering-clinician', KapCoding>
> = {
  therapist: { system: KAP_CARE_ROLE, code: 'therapist', display: 'Therapist' },
  prescriber: { system: KAP_CARE_ROLE, code: 'prescriber', display: 'Prescriber' },
  sitter: { system: KAP_CARE_ROLE, code: 'sitter', display: 'Sitter' },
  'administering-clinician': {
    system: KAP_CARE_ROLE,
    code: 'administering-clinician',
    display: 'Administering clinician',
  },
};

/** `kap-condition-qualifier#treatment-resistant` (no ICD-10-CM or SNOMED code exists, clinical-codes.md §6). */
export const TREATMENT_RESISTANT: KapCoding = {
  system: KAP_CONDITION_QUALIFIER,
  code: 'treatment-resistant',
  display: 'Treatment-resistant',
};

/** `kap-observation#cadss6-total`: CADSS-6 total per dosing session (no LOINC, clinical-codes.md §5). */
export const CADSS6_TOTAL: KapCoding = { system: KAP_OBSERVATION, code: 'cadss6-total', display: 'CADSS-6 total score' };

/** `kap-observation#moaas`: MOAA/S sedation score 0–5 (no LOINC; clinical-codes.md §9, instruments.md). */
export const MOAAS_SCORE: KapCoding = { system: KAP_OBSERVATION, code: 'moaas', display: 'MOAA/S score' };

/** The `kap-observation` codes added by issue 13 (docs/design/issue-13-contract.md; no LOINC code found for any). */
export const KAP_OBSERVATION_CODES = {
  respiratoryDepression: { system: KAP_OBSERVATION, code: 'respiratory-depression', display: 'Respiratory depression observed' },
  dischargeReadiness: { system: KAP_OBSERVATION, code: 'discharge-readiness', display: 'Ready for discharge' },
  dischargeTransport: { system: KAP_OBSERVATION, code: 'discharge-transport', display: 'Transport home' },
  dosingPlan: { system: KAP_OBSERVATION, code: 'dosing-plan', display: 'Plan and next-dose recommendation' },
  recommendedDose: { system: KAP_OBSERVATION, code: 'recommended-dose', display: 'Recommended next dose' },
  pcl5ClusterB: { system: KAP_OBSERVATION, code: 'pcl5-cluster-b', display: 'PCL-5 cluster B intrusion score' },
  pcl5ClusterC: { system: KAP_OBSERVATION, code: 'pcl5-cluster-c', display: 'PCL-5 cluster C avoidance score' },
  pcl5ClusterD: { system: KAP_OBSERVATION, code: 'pcl5-cluster-d', display: 'PCL-5 cluster D cognition and mood score' },
  pcl5ClusterE: { system: KAP_OBSERVATION, code: 'pcl5-cluster-e', display: 'PCL-5 cluster E arousal and reactivity score' },
  pcl5Dsm5Provisional: { system: KAP_OBSERVATION, code: 'pcl5-dsm5-provisional', display: 'PCL-5 provisional PTSD by the DSM-5 rule' },
  phq9Change: { system: KAP_OBSERVATION, code: 'phq9-change', display: 'PHQ-9 change from baseline' },
  gad7Change: { system: KAP_OBSERVATION, code: 'gad7-change', display: 'GAD-7 change from baseline' },
  pcl5Change: { system: KAP_OBSERVATION, code: 'pcl5-change', display: 'PCL-5 change from baseline' },
  changePoints: { system: KAP_OBSERVATION, code: 'change-points', display: 'Points of change from baseline' },
  response: { system: KAP_OBSERVATION, code: 'response', display: 'Response' },
  remission: { system: KAP_OBSERVATION, code: 'remission', display: 'Remission' },
  meaningfulImprovement: { system: KAP_OBSERVATION, code: 'meaningful-improvement', display: 'Clinically meaningful improvement' },
  cssrsInconsistent: { system: KAP_OBSERVATION, code: 'cssrs-inconsistent', display: 'C-SSRS answers contradict each other' },
} as const satisfies Readonly<Record<string, KapCoding>>;

/** Encounter.class `AMB` (HL7 v3 ActCode; clinical-codes.md §1). */
export const ENCOUNTER_CLASS_AMBULATORY: KapCoding = { system: V3_ACT_CODE, code: 'AMB', display: 'ambulatory' };

/** Provenance.activity `UPDATE` (HL7 v3 DataOperation; docs/conventions.md). */
export const PROVENANCE_ACTIVITY_UPDATE: KapCoding = { system: V3_DATA_OPERATION, code: 'UPDATE', display: 'revise' };

/** Patient identifier types (HL7 v2 table 0203; FHIR R4 identifier-type value set). */
export const IDENTIFIER_TYPES: Readonly<Record<'MR' | 'MB' | 'PI', KapCoding>> = {
  MR: { system: V2_IDENTIFIER_TYPE, code: 'MR', display: 'Medical record number' },
  MB: { system: V2_IDENTIFIER_TYPE, code: 'MB', display: 'Member Number' },
  PI: { system: V2_IDENTIFIER_TYPE, code: 'PI', display: 'Patient internal identifier' },
};
