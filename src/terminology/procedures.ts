/**
 * Procedure codes (clinical-codes.md §7). CPT descriptors are AMA copyright: our own short displays.
 * 0820T–0822T (psychedelic-therapy monitoring) are never assigned automatically, so they are not here.
 */
import type { KapCoding } from './coding.js';
import { CPT, SNOMED } from './systems.js';

/** SNOMED CT 75516001 Psychotherapy (regime/therapy). */
export const SNOMED_PSYCHOTHERAPY: KapCoding = { system: SNOMED, code: '75516001', display: 'Psychotherapy' };

/** CPT 90832 psychotherapy, 30 min (16–37 min). Own short display. */
export const CPT_PSYCHOTHERAPY_30: KapCoding = { system: CPT, code: '90832', display: 'Psychotherapy, 30 min' };
/** CPT 90834 psychotherapy, 45 min (38–52 min). Own short display. */
export const CPT_PSYCHOTHERAPY_45: KapCoding = { system: CPT, code: '90834', display: 'Psychotherapy, 45 min' };
/** CPT 90837 psychotherapy, 60 min (≥ 53 min). Own short display. */
export const CPT_PSYCHOTHERAPY_60: KapCoding = { system: CPT, code: '90837', display: 'Psychotherapy, 60 min' };

/**
 * The time-based CPT psychotherapy code for a session of this length (CPT time rule: 16–37 → 90832,
 * 38–52 → 90834, ≥ 53 → 90837; under 16 minutes no code).
 * @param minutes - the session's duration in whole minutes
 */
export function psychotherapyCptFor(minutes: number): KapCoding | undefined {
  if (minutes >= 53) {
    return CPT_PSYCHOTHERAPY_60;
  }
  if (minutes >= 38) {
    return CPT_PSYCHOTHERAPY_45;
  }
  if (minutes >= 16) {
    return CPT_PSYCHOTHERAPY_30;
  }
  return undefined;
}
