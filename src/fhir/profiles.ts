/**
 * The KAP profile and extension URLs the mapping declares (docs/conventions.md "Profiles"). Built with
 * `kapProfile` / `kapExtension` from src/terminology/systems.ts, so no URI literal lives here.
 */
import { kapExtension, kapProfile } from '../terminology/systems.js';

/** `meta.profile` of each KAP resource kind. */
export const PROFILES = {
  patient: kapProfile('kap-patient'),
  episode: kapProfile('kap-episode'),
  condition: kapProfile('kap-condition'),
  prescription: kapProfile('kap-ketamine-prescription'),
  administration: kapProfile('kap-ketamine-administration'),
  psychotherapy: kapProfile('kap-psychotherapy-session'),
  encounter: kapProfile('kap-session-encounter'),
  bloodPressure: kapProfile('kap-blood-pressure'),
  heartRate: kapProfile('kap-heart-rate'),
  oxygenSaturation: kapProfile('kap-oxygen-saturation'),
  respiratoryRate: kapProfile('kap-respiratory-rate'),
  bodyWeight: kapProfile('kap-body-weight'),
  instrumentScore: kapProfile('kap-instrument-score'),
  phq9Item9: kapProfile('kap-phq9-item9'),
  changeFromBaseline: kapProfile('kap-change-from-baseline'),
  dissociationScore: kapProfile('kap-dissociation-score'),
  questionnaireResponse: kapProfile('kap-questionnaire-response'),
  sideEffect: kapProfile('kap-side-effect'),
  sedationScore: kapProfile('kap-sedation-score'),
  respiratoryDepression: kapProfile('kap-respiratory-depression'),
  dischargeReadiness: kapProfile('kap-discharge-readiness'),
  dosingPlan: kapProfile('kap-dosing-plan'),
  medicationStatement: kapProfile('kap-medication-statement'),
  screening: kapProfile('kap-screening'),
  /** The contained Medication of racemic ketamine (`#med`). */
  compoundedKetamine: kapProfile('kap-compounded-ketamine'),
} as const;

/** KAP extension URLs (docs/conventions.md "Extensions"). */
export const EXTENSIONS = {
  dosingPhase: kapExtension('kap-dosing-phase'),
  dosePerBodyWeight: kapExtension('kap-dose-per-body-weight'),
  lotNumber: kapExtension('kap-lot-number'),
  conditionQualifier: kapExtension('kap-condition-qualifier'),
  sourceVersion: kapExtension('kap-source-version'),
  sessionCount: kapExtension('kap-session-count'),
  deviceCount: kapExtension('kap-device-count'),
} as const;

/**
 * A `meta` declaring one profile.
 * @param profile - the profile URL
 */
export function metaProfile(profile: string): { profile: string[] } {
  return { profile: [profile] };
}
