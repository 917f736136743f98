/**
 * FHIR MedicationAdministration → the dose part of a KAP dosing session (inverse of
 * src/fhir/medication-administration.ts): product, route, dose (mg, or the mg/kg extension with the
 * body weight of the supporting body-weight Observation), dose start/end, lot number, administering
 * clinician and prescription.
 */
import type { MedicationAdministration, Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../../kap/dosing-session.js';
import { LOINC_BODY_WEIGHT } from '../../terminology/vital-signs.js';
import { UNIT_KG } from '../../terminology/units.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn } from './codings.js';
import { ignore, refId, use, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { mgOf, mgPerKgOf, valueIn } from './dose.js';
import { productOf, routeOf } from './product-route.js';
import { kapDateTime } from './times.js';

/** The dose part of a dosing session. */
export type DosePart = Pick<
  DosingSession,
  'prescriptionId' | 'product' | 'route' | 'dose' | 'doseStart' | 'doseEnd' | 'lotNumber' | 'administeredBy'
>;

/** The body weight (kg) of the supporting body-weight Observation, marking it read. */
function bodyWeight(entry: IndexedEntry<MedicationAdministration>, ctx: UnmapContext): number | undefined {
  for (const ref of entry.resource.supportingInformation ?? []) {
    const target = ctx.index.resolve(ref);
    if (target?.resource.resourceType !== 'Observation') {
      continue;
    }
    const obs = target.resource as Observation;
    const kg = valueIn(obs.valueQuantity, UNIT_KG.code);
    if (codingIn(obs.code, LOINC_BODY_WEIGHT.system, [LOINC_BODY_WEIGHT.code]) && kg !== undefined) {
      use(ctx, target);
      return kg;
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
  const product = productOf(ma.medicationCodeableConcept);
  const route = routeOf(ma.dosage?.route);
  const mgPerKg = mgPerKgOf(ma.dosage?.extension);
  const kg = mgPerKg !== undefined ? bodyWeight(entry, ctx) : undefined;
  const mg = mgOf(ma.dosage?.dose);
  const doseStart = kapDateTime(ma.effectivePeriod?.start ?? ma.effectiveDateTime);
  const administeredBy = refId(ma.performer?.[0]?.actor, 'Practitioner', ctx);
  const rx = ma.request !== undefined ? refId(ma.request, 'MedicationRequest', ctx) : undefined;
  let dose: DosePart['dose'] | undefined;
  if (mgPerKg !== undefined && kg !== undefined) {
    dose = { unit: 'mg/kg', value: mgPerKg, bodyWeightKg: kg };
  } else if (mg !== undefined) {
    if (mgPerKg !== undefined) {
      ignore(ctx, entry, 'supportingInformation', 'missing-element'); // mg/kg without the weight used: keep mg
    }
    dose = { unit: 'mg', value: mg };
  }
  const required: [unknown, string, 'unknown-code' | 'missing-element' | 'unresolved-reference'][] = [
    [product, 'medicationCodeableConcept', 'unknown-code'],
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
    doseStart: doseStart as string,
    administeredBy: administeredBy as string,
    prescriptionId: rx as string,
  };
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
  (ma.performer ?? []).slice(1).forEach((_p, i) => ignore(ctx, entry, `performer[${i + 1}]`, 'unsupported-element'));
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, ma.extension, '', [EXTENSIONS.lotNumber]);
  ignoreUnknownExtensions(ctx, entry, ma.dosage?.extension, 'dosage', [EXTENSIONS.dosePerBodyWeight]);
  ignoreUnreadElements(ctx, entry, [
    'status',
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
