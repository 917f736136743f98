/**
 * FHIR MedicationRequest → a KAP prescription (inverse of src/fhir/medication-request.ts): status,
 * authoredOn, prescriber (requester), product (RxNorm; racemic ketamine's form and strength from the contained
 * Medication), route (SNOMED), dose (doseQuantity in mg or mg/kg, else the mg/kg extension), session count
 * (`kap-session-count`), validity period (dates), `minIntervalDays` from timing (once per N days) or from
 * maxDosePerPeriod (the prescribed dose per N days) and the written
 * sig: dosageInstruction.text, kept only when it differs from the sig {@link prescriptionSig} generates.
 */
import type { Dosage, MedicationRequest } from '@medplum/fhirtypes';
import { kapNonBlankTextSchema } from '../../kap/primitives.js';
import { PRESCRIPTION_STATUSES, type Prescription } from '../../kap/prescription.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../../terminology/units.js';
import { prescriptionSig } from '../medication-request.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, refId, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { mgOf, mgPerKgOf, valueIn } from './dose.js';
import { fromProductElements } from './medication-product.js';
import { routeOf } from './product-route.js';
import { kapDate, kapDateTime } from './times.js';

type Status = Prescription['status'];

/** A written sig: at most 500 characters (src/kap/prescription.ts). */
const SIG_MAX = 500;
/** The longest interval a prescription can set (src/kap/prescription.ts `minIntervalDays`). */
const MAX_INTERVAL_DAYS = 365;

/** Days between doses of `timing.repeat = { frequency: 1, period: N, periodUnit: 'd' }`, else undefined. */
function intervalDays(dosage: Dosage | undefined): number | undefined {
  const r = dosage?.timing?.repeat;
  const n = r?.period;
  const simple = r !== undefined && (r.frequency ?? 1) === 1 && r.periodUnit === 'd' && Object.keys(dosage?.timing ?? {}).length === 1;
  return simple && typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_INTERVAL_DAYS ? n : undefined;
}

/**
 * Days of `maxDosePerPeriod` = the prescribed dose (same value, same UCUM unit) per N days — at most one dose every N
 * days, the limit without a schedule (docs/conventions.md "Minimum interval") — else undefined.
 */
function limitDays(rx: Prescription, dosage: Dosage | undefined): number | undefined {
  const limit = dosage?.maxDosePerPeriod;
  const perDose = valueIn(limit?.numerator, rx.dose.unit === 'mg/kg' ? UNIT_MG_PER_KG.code : UNIT_MG.code) === rx.dose.value;
  const n = valueIn(limit?.denominator, 'd');
  return perDose && n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_INTERVAL_DAYS ? n : undefined;
}

/** Adds the structured dosage details a prescription may have: the interval, then the sig (compared to the generated). */
function addDosageDetails(rx: Prescription, dosage: Dosage | undefined, entry: IndexedEntry, ctx: UnmapContext): void {
  const timed = intervalDays(dosage);
  const limited = limitDays(rx, dosage);
  const days = timed ?? limited;
  if (days !== undefined) {
    rx.minIntervalDays = days;
  }
  if (timed === undefined && dosage?.timing !== undefined) {
    ignore(ctx, entry, 'dosageInstruction[0].timing', 'unsupported-element');
  }
  if (dosage?.maxDosePerPeriod !== undefined && (limited === undefined || limited !== days)) {
    ignore(ctx, entry, 'dosageInstruction[0].maxDosePerPeriod', 'unsupported-element'); // another limit, or disagrees
  }
  if (dosage?.text === undefined) {
    return;
  }
  const text = kapNonBlankTextSchema.safeParse(dosage.text);
  if (!text.success || text.data.length > SIG_MAX) {
    ignore(ctx, entry, 'dosageInstruction[0].text', 'invalid-value');
  } else if (text.data !== prescriptionSig(rx)) {
    rx.sig = text.data;
  }
}

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
  const { product, form, strength } = fromProductElements(mr, entry, ctx);
  const route = routeOf(dosage?.route);
  const doseQuantity = dosage?.doseAndRate?.[0]?.doseQuantity;
  const mgPerKg = valueIn(doseQuantity, UNIT_MG_PER_KG.code) ?? mgPerKgOf(dosage?.extension);
  const mg = mgOf(doseQuantity);
  const sessions = (mr.extension ?? []).find((e) => e.url === EXTENSIONS.sessionCount)?.valuePositiveInt;
  const authoredOn = kapDateTime(mr.authoredOn);
  const start = kapDate(mr.dispenseRequest?.validityPeriod?.start);
  const end = kapDate(mr.dispenseRequest?.validityPeriod?.end);
  const status = PRESCRIPTION_STATUSES.includes(mr.status as Status) ? (mr.status as Status) : undefined;

  const missing: [unknown, string, 'missing-element' | 'unknown-code' | 'unresolved-reference' | 'invalid-value'][] = [
    [id, '', 'missing-element'],
    [status, 'status', 'invalid-value'],
    [prescriberId !== undefined && memberIds.has(prescriberId) ? prescriberId : undefined, 'requester', 'unresolved-reference'],
    [product, mr.medicationReference !== undefined ? 'medicationReference' : 'medicationCodeableConcept', 'unknown-code'],
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
    'contained',
    'medicationReference',
    'medicationCodeableConcept',
    'subject',
    'authoredOn',
    'requester',
    'dosageInstruction',
    'dispenseRequest',
    'encounter',
  ]);
  const rx: Prescription = {
    id: id as string,
    prescriberId: prescriberId as string,
    status: status as Status,
    authoredOn: authoredOn as string,
    product: product as Prescription['product'],
    route: route as Prescription['route'],
    dose: mgPerKg !== undefined ? { unit: 'mg/kg', value: mgPerKg } : { unit: 'mg', value: mg as number },
    sessions: sessions as number,
    validity: { start: start as string, ...(end !== undefined ? { end } : {}) },
    ...(form !== undefined ? { form } : {}),
    ...(strength !== undefined ? { strength } : {}),
  };
  addDosageDetails(rx, dosage, entry, ctx);
  return rx;
}
