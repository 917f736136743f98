/**
 * What became of the dose, from MedicationAdministration.status and statusReason (inverse of
 * src/fhir/medication-administration.ts): `completed` → given; `not-done` → refused when the reason is
 * `kap-dose-status-reason#patient-refused`, else held; `stopped` → partial. R4 has one `not-done` for a held and a
 * refused dose: the reason tells them apart (an episode rule keeps `patient-refused` for refused doses only).
 * A dose not given needs a reason: an EHR's `not-done` / `stopped` without a KAP reason gets `other` (`defaulted`).
 */
import type { MedicationAdministration } from '@medplum/fhirtypes';
import type { DoseStatus, DoseStatusReason } from '../../kap/dosing-session.js';
import { DOSE_STATUS_REASON_CODES } from '../../terminology/dosing-codes.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { keyForConcept } from './codings.js';
import { ignore, type UnmapContext } from './context.js';

/** The dose status, and the reason when the dose was not given in full. */
export interface DoseStatusPart {
  doseStatus: DoseStatus;
  doseStatusReason?: DoseStatusReason;
}

/** MedicationAdministration statuses that mean the dose was given (R4 medication-admin-status). */
const GIVEN = new Set<string | undefined>([undefined, 'completed', 'in-progress']);

/**
 * Reads the dose status and reason.
 * @param entry - the MedicationAdministration entry
 * @param ctx - the context
 */
export function fromDoseStatus(entry: IndexedEntry<MedicationAdministration>, ctx: UnmapContext): DoseStatusPart {
  const ma = entry.resource;
  const reasons = Array.isArray(ma.statusReason) ? ma.statusReason : [];
  const reason = reasons.length > 0 ? keyForConcept(reasons[0], DOSE_STATUS_REASON_CODES) : undefined;
  reasons.slice(1).forEach((_r, i) => ignore(ctx, entry, `statusReason[${i + 1}]`, 'unsupported-element'));
  if (ma.status !== 'not-done' && ma.status !== 'stopped') {
    if (!GIVEN.has(ma.status)) {
      ignore(ctx, entry, 'status', 'invalid-value'); // on-hold, unknown, entered-in-error: read as given
    }
    if (reasons.length > 0) {
      ignore(ctx, entry, 'statusReason', 'unsupported-element');
    }
    return { doseStatus: 'given' };
  }
  if (reason === undefined) {
    ignore(ctx, entry, 'statusReason', reasons.length > 0 ? 'unknown-code' : 'defaulted');
  }
  if (ma.status === 'stopped') {
    return { doseStatus: 'partial', doseStatusReason: reason ?? 'other' };
  }
  return reason === 'patient-refused'
    ? { doseStatus: 'refused', doseStatusReason: reason }
    : { doseStatus: 'held', doseStatusReason: reason ?? 'other' };
}
