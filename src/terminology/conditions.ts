/**
 * Indication codes (ICD-10-CM, clinical-codes.md §6) and the FHIR R4 Condition status/category codes.
 * Treatment-resistant depression has no ICD-10-CM code: see local-codes.ts `kap-condition-qualifier`.
 */
import type { KapCoding } from './coding.js';
import { CONDITION_CATEGORY, CONDITION_CLINICAL, CONDITION_VER_STATUS, ICD10CM } from './systems.js';

/** ICD-10-CM codes accepted as KAP indications, with their displays (clinical-codes.md §6). */
export const INDICATION_DISPLAYS = {
  'F32.0': 'Major depressive disorder, single episode, mild',
  'F32.1': 'Major depressive disorder, single episode, moderate',
  'F32.2': 'Major depressive disorder, single episode, severe without psychotic features',
  'F32.9': 'Major depressive disorder, single episode, unspecified',
  'F32.A': 'Depression, unspecified',
  'F33.0': 'Major depressive disorder, recurrent, mild',
  'F33.1': 'Major depressive disorder, recurrent, moderate',
  'F33.2': 'Major depressive disorder, recurrent severe without psychotic features',
  'F33.9': 'Major depressive disorder, recurrent, unspecified',
  'F41.1': 'Generalized anxiety disorder',
  'F43.10': 'Post-traumatic stress disorder, unspecified',
  'F43.12': 'Post-traumatic stress disorder, chronic',
  'F42.2': 'Mixed obsessional thoughts and acts',
  'G89.29': 'Other chronic pain',
  'G89.4': 'Chronic pain syndrome',
  'F31.30': 'Bipolar disorder, current episode depressed, mild or moderate severity, unspecified',
  'F31.4': 'Bipolar disorder, current episode depressed, severe, without psychotic features',
  'F31.5': 'Bipolar disorder, current episode depressed, severe, with psychotic features',
} as const;

/** An ICD-10-CM indication code. */
export type IndicationCode = keyof typeof INDICATION_DISPLAYS;

/** The ICD-10-CM indication codes, in the order of clinical-codes.md §6. */
export const INDICATION_CODES = Object.keys(INDICATION_DISPLAYS) as [IndicationCode, ...IndicationCode[]];

/**
 * The ICD-10-CM Coding of an indication.
 * @param code - an indication code
 */
export function indicationCoding(code: IndicationCode): KapCoding {
  return { system: ICD10CM, code, display: INDICATION_DISPLAYS[code] };
}

/** Condition.clinicalStatus `active` (FHIR R4 condition-clinical). */
export const CONDITION_ACTIVE: KapCoding = { system: CONDITION_CLINICAL, code: 'active', display: 'Active' };
/** Condition.verificationStatus `confirmed` (FHIR R4 condition-ver-status). */
export const CONDITION_CONFIRMED: KapCoding = { system: CONDITION_VER_STATUS, code: 'confirmed', display: 'Confirmed' };
/** Condition.category `problem-list-item` (FHIR R4 condition-category). */
export const CONDITION_PROBLEM_LIST_ITEM: KapCoding = {
  system: CONDITION_CATEGORY,
  code: 'problem-list-item',
  display: 'Problem List Item',
};
