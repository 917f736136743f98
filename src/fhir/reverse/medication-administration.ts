/**
 * FHIR MedicationAdministration → the dose part of a KAP dosing session (inverse of
 * src/fhir/medication-administration.ts): product (with racemic ketamine's form and strength from the contained
 * Medication), route, dose (mg, or the mg/kg extension, with the body weight of the supporting body-weight
 * Observation: required for mg/kg, optional for mg), dose status and reason, esketamine devices (`kap-device-count`), dose start/end, lot number,
 * administering clinician (the witness of a self-administered dose, whose performer is the Patient) and
 * prescription. `dosage.rateRatio` is derived (dose over the infusion time) and skipped.
 */
import type { MedicationAdministration, MedicationAdministrationPerformer, Observation } from '@medplum/fhirtypes';
import { ESKETAMINE_MG_PER_DEVICE } from '../../kap/dose-form.js';
import { mgDoseSchema } from '../../kap/dose.js';
import type { DosingSession } from '../../kap/dosing-session.js';
import { PERFORM_FUNCTION_CODES } from '../../terminology/dosing-codes.js';
import { LOINC_BODY_WEIGHT } from '../../terminology/vital-signs.js';
import { UNIT_KG } from '../../terminology/units.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn, keyForConcept } from './codings.js';
import { ignore, refId, use, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { mgOf, mgPerKgOf, valueIn } from './dose.js';
import { fromDoseStatus } from './dose-status.js';
import { fromProductElements } from './medication-product.js';
import { routeOf } from './product-route.js';
import { kapDateTime } from './times.js';

/** The dose part of a dosing session. */
export type DosePart = Pick<
  DosingSession,
  | 'prescriptionId'
  | 'product'
  | 'route'
  | 'dose'
  | 'doseStatus'
  | 'doseStatusReason'
  | 'form'
  | 'strength'
  | 'deviceCount'
  | 'selfAdministered'
  | 'doseStart'
  | 'doseEnd'
  | 'lotNumber'
  | 'administeredBy'
>;

/** Who gave the dose: the Practitioner performer (the witness when the patient performed it), and whether the
 * patient did; the indexes of the performers read. */
function performers(
  list: MedicationAdministrationPerformer[],
  ctx: UnmapContext
): { administeredBy?: string; selfAdministered: boolean; read: number[] } {
  const isFunction = (p: MedicationAdministrationPerformer, code: string): boolean =>
    keyForConcept(p.function, PERFORM_FUNCTION_CODES) === code;
  const patientAt = list.findIndex(
    (p) => ctx.index.resolve(p?.actor)?.resource.resourceType === 'Patient' && (p.function === undefined || isFunction(p, 'performer'))
  );
  const practitioners = list
    .map((p, i) => ({ p, i, id: refId(p?.actor, 'Practitioner', ctx) }))
    .filter((x) => x.id !== undefined);
  const chosen =
    patientAt >= 0 ? (practitioners.find((x) => isFunction(x.p, 'witness')) ?? practitioners[0]) : practitioners[0];
  const read = [...(patientAt >= 0 ? [patientAt] : []), ...(chosen ? [chosen.i] : [])];
  return { administeredBy: chosen?.id, selfAdministered: patientAt >= 0, read };
}

/** The supporting body-weight Observation and its weight (kg), if any (not yet marked read). */
function bodyWeight(
  entry: IndexedEntry<MedicationAdministration>,
  ctx: UnmapContext
): { kg: number; target: IndexedEntry<Observation> } | undefined {
  for (const ref of entry.resource.supportingInformation ?? []) {
    const target = ctx.index.resolve(ref);
    if (target?.resource.resourceType !== 'Observation') {
      continue;
    }
    const obs = target.resource as Observation;
    const kg = valueIn(obs.valueQuantity, UNIT_KG.code);
    if (codingIn(obs.code, LOINC_BODY_WEIGHT.system, [LOINC_BODY_WEIGHT.code]) && kg !== undefined) {
      return { kg, target: target as IndexedEntry<Observation> };
    }
  }
  return undefined;
}

/**
 * Reads the dose part of a dosing session.
 * @param entry - the MedicationAdministration entry
 * @param ctx - the context
 * @param memberIds - ids of the care team
 * @param prescriptionIds - ids of the prescriptions recovered
 * @returns the dose part, or undefined (reported) when a required part is missing
 */
export function fromMedicationAdministration(
  entry: IndexedEntry<MedicationAdministration>,
  ctx: UnmapContext,
  memberIds: ReadonlySet<string>,
  prescriptionIds: ReadonlySet<string>
): DosePart | undefined {
  const ma = entry.resource;
  const { product, form, strength } = fromProductElements(ma, entry, ctx);
  const route = routeOf(ma.dosage?.route);
  const mgPerKg = mgPerKgOf(ma.dosage?.extension);
  const weight = bodyWeight(entry, ctx);
  const mg = mgOf(ma.dosage?.dose);
  const doseStart = kapDateTime(ma.effectivePeriod?.start ?? ma.effectiveDateTime);
  const who = performers(Array.isArray(ma.performer) ? ma.performer : [], ctx);
  const administeredBy = who.administeredBy;
  const rx = ma.request !== undefined ? refId(ma.request, 'MedicationRequest', ctx) : undefined;
  let dose: DosePart['dose'] | undefined;
  if (mgPerKg !== undefined && weight !== undefined) {
    use(ctx, weight.target);
    dose = { unit: 'mg/kg', value: mgPerKg, bodyWeightKg: weight.kg };
  } else if (mg !== undefined) {
    if (mgPerKg !== undefined) {
      ignore(ctx, entry, 'supportingInformation', 'missing-element'); // mg/kg without the weight used: keep mg
    }
    // the weight recorded with a mg dose is optional: one the model cannot hold is left unread (reported at the end)
    const kept = weight !== undefined && mgDoseSchema.shape.bodyWeightKg.safeParse(weight.kg).success ? weight : undefined;
    if (kept) {
      use(ctx, kept.target);
    }
    dose = { unit: 'mg', value: mg, ...(kept ? { bodyWeightKg: kept.kg } : {}) };
  }
  const required: [unknown, string, 'unknown-code' | 'missing-element' | 'unresolved-reference'][] = [
    [product, ma.medicationReference !== undefined ? 'medicationReference' : 'medicationCodeableConcept', 'unknown-code'],
    [route, 'dosage.route', 'unknown-code'],
    [dose, 'dosage.dose', 'missing-element'],
    [doseStart, 'effective', 'missing-element'],
    [memberIds.has(administeredBy ?? '') ? administeredBy : undefined, 'performer', 'unresolved-reference'],
    [prescriptionIds.has(rx ?? '') ? rx : undefined, 'request', ma.request ? 'unresolved-reference' : 'missing-element'],
  ];
  const bad = required.find(([v]) => v === undefined);
  if (bad) {
    ignore(ctx, entry, bad[1], bad[2]);
    return undefined;
  }
  const part: DosePart = {
    product: product as DosePart['product'],
    route: route as DosePart['route'],
    dose: dose as DosePart['dose'],
    ...fromDoseStatus(entry, ctx),
    ...(form !== undefined ? { form } : {}),
    ...(strength !== undefined ? { strength } : {}),
    selfAdministered: who.selfAdministered,
    doseStart: doseStart as string,
    administeredBy: administeredBy as string,
    prescriptionId: rx as string,
  };
  const devices = (ma.extension ?? []).find((e) => e.url === EXTENSIONS.deviceCount)?.valuePositiveInt;
  if (devices !== undefined) {
    // devices × 28 mg is the esketamine dose (episode rule): anything else cannot be kept
    if (part.product === 'esketamine' && part.dose.unit === 'mg' && part.dose.value === devices * ESKETAMINE_MG_PER_DEVICE && devices <= 3) {
      part.deviceCount = devices;
    } else {
      ignore(ctx, entry, 'extension', 'invalid-value');
    }
  }
  const doseEnd = kapDateTime(ma.effectivePeriod?.end);
  if (doseEnd !== undefined) {
    part.doseEnd = doseEnd;
  }
  const lot = (ma.extension ?? []).find((e) => e.url === EXTENSIONS.lotNumber)?.valueString;
  if (lot !== undefined) {
    if (/^[A-Za-z0-9\-./]{1,64}$/.test(lot)) {
      part.lotNumber = lot;
    } else {
      ignore(ctx, entry, 'extension', 'invalid-value');
    }
  }
  (ma.performer ?? []).forEach((_p, i) => {
    if (!who.read.includes(i)) {
      ignore(ctx, entry, `performer[${i}]`, 'unsupported-element');
    }
  });
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, ma.extension, '', [EXTENSIONS.lotNumber, EXTENSIONS.deviceCount]);
  ignoreUnknownExtensions(ctx, entry, ma.dosage?.extension, 'dosage', [EXTENSIONS.dosePerBodyWeight]);
  ignoreUnreadElements(ctx, entry, [
    'status',
    'statusReason',
    'contained',
    'medicationReference',
    'medicationCodeableConcept',
    'subject',
    'context',
    'effectiveDateTime',
    'effectivePeriod',
    'performer',
    'request',
    'supportingInformation',
    'dosage',
  ]);
  return part;
}
