/**
 * A dosing session → FHIR R4 MedicationAdministration (`kap-ketamine-administration`): identifier value
 * = session id, status completed, RxNorm product, context = Encounter, effectiveDateTime (or
 * effectivePeriod with a dose end), performer = administering clinician, request → MedicationRequest,
 * dosage.route SNOMED, dosage.dose in mg UCUM (for mg/kg: value × body weight, rounded to 0.01 mg) with
 * the mg/kg dose in `kap-dose-per-body-weight`, supportingInformation → body-weight Observation, lot
 * number in `kap-lot-number`.
 */
import type { Extension, MedicationAdministration, MedicationAdministrationDosage } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { coding } from '../terminology/coding.js';
import { PRODUCT_CODES } from '../terminology/medications.js';
import { ROUTE_CODES } from '../terminology/routes.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../terminology/units.js';
import type { MapContext } from './context.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/**
 * The mg given for a weight-based dose, rounded to 0.01 mg (stable, free of binary noise).
 * @param mgPerKg - the dose per kg
 * @param kg - the body weight used
 */
export function totalMg(mgPerKg: number, kg: number): number {
  return Math.round(mgPerKg * kg * 100) / 100;
}

/**
 * The administered dosage.
 * @param s - the dosing session
 */
export function administeredDosage(s: DosingSession): MedicationAdministrationDosage {
  const route = { coding: [coding(ROUTE_CODES[s.route])] };
  if (s.dose.unit === 'mg/kg') {
    return {
      extension: [{ url: EXTENSIONS.dosePerBodyWeight, valueQuantity: ucumQuantity(s.dose.value, UNIT_MG_PER_KG) }],
      route,
      dose: ucumQuantity(totalMg(s.dose.value, s.dose.bodyWeightKg), UNIT_MG),
    };
  }
  return { route, dose: ucumQuantity(s.dose.value, UNIT_MG) };
}

/**
 * Maps a dosing session to a MedicationAdministration.
 * @param s - the dosing session
 * @param ctx - the mapping context
 */
export function toMedicationAdministration(s: DosingSession, ctx: MapContext): MedicationAdministration {
  const extension: Extension[] =
    s.lotNumber !== undefined ? [{ url: EXTENSIONS.lotNumber, valueString: s.lotNumber }] : [];
  return {
    resourceType: 'MedicationAdministration',
    meta: metaProfile(PROFILES.administration),
    ...(extension.length > 0 ? { extension } : {}),
    identifier: [ctx.identifier('MedicationAdministration', s.id)],
    status: 'completed',
    medicationCodeableConcept: { coding: [coding(PRODUCT_CODES[s.product])] },
    subject: ctx.patient,
    context: ctx.ref('Encounter', s.id),
    ...(s.doseEnd !== undefined
      ? { effectivePeriod: { start: s.doseStart, end: s.doseEnd } }
      : { effectiveDateTime: s.doseStart }),
    performer: [{ actor: ctx.ref('Practitioner', s.administeredBy) }],
    request: ctx.ref('MedicationRequest', s.prescriptionId),
    ...(s.dose.unit === 'mg/kg'
      ? { supportingInformation: [ctx.ref('Observation', derivedObservationIds(s.id).weight)] }
      : {}),
    dosage: administeredDosage(s),
  };
}
