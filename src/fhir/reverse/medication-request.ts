/**
 * FHIR MedicationRequest → a KAP prescription (inverse of src/fhir/medication-request.ts): status,
 * authoredOn, prescriber (requester), product (RxNorm), route (SNOMED), dose (mg doseQuantity or the
 * mg/kg extension), session count (`kap-session-count`), validity period (dates).
 */
import type { MedicationRequest } from '@medplum/fhirtypes';
import { PRESCRIPTION_STATUSES, type Prescription } from '../../kap/prescription.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, refId, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { mgOf, mgPerKgOf } from './dose.js';
import { productOf, routeOf } from './product-route.js';
import { kapDate, kapDateTime } from './times.js';

type Status = Prescription['status'];

/**
 * Reads a prescription.
 * @param entry - the MedicationRequest entry
 * @param ctx - the context
 * @param memberIds - ids of the care team (the prescriber must be one)
 * @returns the prescription, or undefined (reported) when a required part is missing
 */
export function fromMedicationRequest(
  entry: IndexedEntry<MedicationRequest>,
  ctx: UnmapContext,
  memberIds: ReadonlySet<string>
): Prescription | undefined {
  const mr = entry.resource;
  const dosage = mr.dosageInstruction?.[0];
  const id = kapIdOf(entry, ctx);
  const prescriberId = refId(mr.requester, 'Practitioner', ctx);
  const product = productOf(mr.medicationCodeableConcept);
  const route = routeOf(dosage?.route);
  const mgPerKg = mgPerKgOf(dosage?.extension);
  const mg = mgOf(dosage?.doseAndRate?.[0]?.doseQuantity);
  const sessions = (mr.extension ?? []).find((e) => e.url === EXTENSIONS.sessionCount)?.valuePositiveInt;
  const authoredOn = kapDateTime(mr.authoredOn);
  const start = kapDate(mr.dispenseRequest?.validityPeriod?.start);
  const end = kapDate(mr.dispenseRequest?.validityPeriod?.end);
  const status = PRESCRIPTION_STATUSES.includes(mr.status as Status) ? (mr.status as Status) : undefined;

  const missing: [unknown, string, 'missing-element' | 'unknown-code' | 'unresolved-reference' | 'invalid-value'][] = [
    [id, '', 'missing-element'],
    [status, 'status', 'invalid-value'],
    [prescriberId !== undefined && memberIds.has(prescriberId) ? prescriberId : undefined, 'requester', 'unresolved-reference'],
    [product, 'medicationCodeableConcept', 'unknown-code'],
    [route, 'dosageInstruction[0].route', 'unknown-code'],
    [mgPerKg ?? mg, 'dosageInstruction[0].doseAndRate', 'missing-element'],
    [sessions, 'extension', 'missing-element'],
    [authoredOn, 'authoredOn', 'missing-element'],
    [start, 'dispenseRequest.validityPeriod', 'missing-element'],
  ];
  const bad = missing.find(([v]) => v === undefined);
  if (bad) {
    // the whole prescription is left out: report where, and why
    ignore(ctx, entry, bad[1], bad[2]);
    return undefined;
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, mr.extension, '', [EXTENSIONS.sessionCount]);
  ignoreUnreadElements(ctx, entry, [
    'status',
    'intent',
    'medicationCodeableConcept',
    'subject',
    'authoredOn',
    'requester',
    'dosageInstruction',
    'dispenseRequest',
    'encounter',
  ]);
  return {
    id: id as string,
    prescriberId: prescriberId as string,
    status: status as Status,
    authoredOn: authoredOn as string,
    product: product as Prescription['product'],
    route: route as Prescription['route'],
    dose: mgPerKg !== undefined ? { unit: 'mg/kg', value: mgPerKg } : { unit: 'mg', value: mg as number },
    sessions: sessions as number,
    validity: { start: start as string, ...(end !== undefined ? { end } : {}) },
  };
}
