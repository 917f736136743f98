/**
 * A prescription → FHIR R4 MedicationRequest (`kap-ketamine-prescription`): status, intent `order`, the product
 * (racemic ketamine: contained Medication `#med` with the prescription's form and strength; esketamine: RxNorm
 * medicationCodeableConcept), requester = prescriber, authoredOn, dosageInstruction[0]: text = the written sig or the
 * one {@link prescriptionSig} generates, maxDosePerPeriod (at most one dose every N days), SNOMED route, doseQuantity in UCUM mg
 * or mg/kg (mg/kg also in `kap-dose-per-body-weight` for one release), dispenseRequest.validityPeriod and the number
 * of dosing sessions in `kap-session-count`.
 */
import type { Dosage, MedicationRequest } from '@medplum/fhirtypes';
import type { KapProduct, KapRoute } from '../kap/dose.js';
import { ESKETAMINE_MG_PER_DEVICE } from '../kap/dose-form.js';
import type { Prescription } from '../kap/prescription.js';
import { coding } from '../terminology/coding.js';
import { DOSE_FORM_CODES } from '../terminology/dosing-codes.js';
import { ROUTE_CODES } from '../terminology/routes.js';
import { UNIT_DAY, UNIT_MG, UNIT_MG_PER_KG } from '../terminology/units.js';
import type { MapContext } from './context.js';
import { medicationElements } from './medication.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/** The product's name in a sig. */
const SIG_PRODUCT: Readonly<Record<KapProduct, string>> = { ketamine: 'Ketamine', esketamine: 'Esketamine' };

/** The route's adjective in a sig. */
const SIG_ROUTE: Readonly<Record<KapRoute, string>> = {
  iv: 'intravenous',
  im: 'intramuscular',
  intranasal: 'intranasal',
  oral: 'oral',
  sublingual: 'sublingual',
  buccal: 'buccal',
};

/** The lower-cased first letter of a display (a form's display inside a sentence). */
function inSentence(display: string): string {
  return display.charAt(0).toLowerCase() + display.slice(1);
}

/** "nasal spray (3 devices)" for an esketamine mg dose of whole devices; "nasal spray" otherwise. */
function esketamineForm(rx: Prescription): string {
  const devices = rx.dose.value / ESKETAMINE_MG_PER_DEVICE;
  return rx.dose.unit === 'mg' && Number.isInteger(devices) && devices > 0
    ? `nasal spray (${devices} device${devices === 1 ? '' : 's'})`
    : 'nasal spray';
}

/**
 * The sig generated from a prescription's structured fields, e.g. "Ketamine 0.5 mg/kg intravenous, once per dosing
 * session, 6 sessions" or "Esketamine 84 mg nasal spray (3 devices) intranasal, once per dosing session, at most once
 * every 3 days, 7 sessions". Racemic ketamine adds its form and strength when given ("Ketamine 200 mg lozenge
 * (troche) 100 mg/unit sublingual, …"). The reverse mapping keeps `sig` only when the text differs from this.
 * @param rx - the prescription
 */
export function prescriptionSig(rx: Prescription): string {
  const what = [SIG_PRODUCT[rx.product], `${rx.dose.value} ${rx.dose.unit}`];
  if (rx.product === 'esketamine') {
    what.push(esketamineForm(rx));
  } else {
    if (rx.form !== undefined) {
      what.push(inSentence(DOSE_FORM_CODES[rx.form].display));
    }
    if (rx.strength !== undefined) {
      what.push(`${rx.strength.mg} mg/${rx.strength.per}`);
    }
  }
  what.push(SIG_ROUTE[rx.route]);
  const parts = [what.join(' '), 'once per dosing session'];
  if (rx.minIntervalDays !== undefined) {
    parts.push(rx.minIntervalDays === 1 ? 'at most once a day' : `at most once every ${rx.minIntervalDays} days`);
  }
  parts.push(`${rx.sessions} session${rx.sessions === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/**
 * The prescribed dosage: text (sig), the minimum interval (maxDosePerPeriod), route and dose (doseQuantity in mg or mg/kg; mg/kg also as the
 * `kap-dose-per-body-weight` extension, kept one release for receivers that read it).
 * @param rx - the prescription
 */
export function prescribedDosage(rx: Prescription): Dosage {
  const perKg = rx.dose.unit === 'mg/kg';
  const doseQuantity = ucumQuantity(rx.dose.value, perKg ? UNIT_MG_PER_KG : UNIT_MG);
  return {
    ...(perKg ? { extension: [{ url: EXTENSIONS.dosePerBodyWeight, valueQuantity: ucumQuantity(rx.dose.value, UNIT_MG_PER_KG) }] } : {}),
    text: rx.sig ?? prescriptionSig(rx),
    // at most one dose every N days: the prescribed dose per N days, a limit without a schedule (docs/conventions.md
    // "Minimum interval"; a Timing would read as a fixed every-N-days order)
    ...(rx.minIntervalDays !== undefined ? { maxDosePerPeriod: { numerator: doseQuantity, denominator: ucumQuantity(rx.minIntervalDays, UNIT_DAY) } } : {}),
    route: { coding: [coding(ROUTE_CODES[rx.route])] },
    doseAndRate: [{ doseQuantity }],
  };
}

/**
 * Maps a prescription to a MedicationRequest.
 * @param rx - the prescription
 * @param ctx - the mapping context
 */
export function toMedicationRequest(rx: Prescription, ctx: MapContext): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    meta: metaProfile(PROFILES.prescription),
    extension: [{ url: EXTENSIONS.sessionCount, valuePositiveInt: rx.sessions }],
    identifier: [ctx.identifier('MedicationRequest', rx.id)],
    status: rx.status,
    intent: 'order',
    ...medicationElements(rx),
    subject: ctx.patient,
    authoredOn: rx.authoredOn,
    requester: ctx.ref('Practitioner', rx.prescriberId),
    dosageInstruction: [prescribedDosage(rx)],
    dispenseRequest: { validityPeriod: { ...rx.validity } },
  };
}
