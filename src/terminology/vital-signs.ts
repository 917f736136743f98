/**
 * Vital-sign codes (LOINC, clinical-codes.md §4) and the observation categories (§1), per the FHIR R4
 * vital-signs profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html).
 */
import type { KapCoding } from './coding.js';
import { LOINC, OBSERVATION_CATEGORY } from './systems.js';

/** Observation category `vital-signs`. */
export const CATEGORY_VITAL_SIGNS: KapCoding = { system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' };
/** Observation category `survey`. */
export const CATEGORY_SURVEY: KapCoding = { system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' };
/** Observation category `exam` (sedation, respiratory depression, discharge readiness; FHIR R4 observation-category). */
export const CATEGORY_EXAM: KapCoding = { system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' };

/** LOINC 85354-9 blood pressure panel (core `bp`). */
export const LOINC_BP_PANEL: KapCoding = { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' };
/** LOINC 8480-6 systolic (BP component, mm[Hg]). */
export const LOINC_SYSTOLIC: KapCoding = { system: LOINC, code: '8480-6', display: 'Systolic blood pressure' };
/** LOINC 8462-4 diastolic (BP component, mm[Hg]). */
export const LOINC_DIASTOLIC: KapCoding = { system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' };
/** LOINC 8867-4 heart rate (/min). */
export const LOINC_HEART_RATE: KapCoding = { system: LOINC, code: '8867-4', display: 'Heart rate' };
/** LOINC 9279-1 respiratory rate (/min). */
export const LOINC_RESPIRATORY_RATE: KapCoding = { system: LOINC, code: '9279-1', display: 'Respiratory rate' };
/** LOINC 2708-6 oxygen saturation (%), first SpO2 coding. */
export const LOINC_SPO2: KapCoding = { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' };
/** Second SpO2 coding (US Core Pulse Oximetry requires both). */
export const LOINC_SPO2_PULSE_OXIMETRY: KapCoding = {
  system: LOINC,
  code: '59408-5',
  display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
};
/** LOINC 29463-7 body weight (kg). */
export const LOINC_BODY_WEIGHT: KapCoding = { system: LOINC, code: '29463-7', display: 'Body weight' };
