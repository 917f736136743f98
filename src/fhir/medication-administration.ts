/**
 * A dosing session → FHIR R4 MedicationAdministration (`kap-ketamine-administration`): identifier value = session id;
 * status from the dose's status (given → completed, held / refused → not-done, partial → stopped) with the reason in
 * statusReason (`kap-dose-status-reason`); the product (racemic ketamine: contained Medication `#med` with form and
 * strength; esketamine: RxNorm medicationCodeableConcept); context = Encounter; effectiveDateTime (or
 * effectivePeriod with a dose end); performer = administering clinician, or for a self-administered dose the patient
 * (function `performer`) witnessed by the clinician (function `witness`); request → MedicationRequest; dosage.route
 * SNOMED, dosage.dose in mg UCUM (for mg/kg: value × body weight, rounded to 0.01 mg; for not-done: the planned dose)
 * with the mg/kg dose in `kap-dose-per-body-weight`, dosage.rateRatio for an IV dose with an end (mg per minute of
 * infusion); supportingInformation → body-weight Observation (the weight of a mg/kg dose, or the weight recorded with a mg
 * dose); `kap-lot-number`, `kap-device-count`.
 */
import type {
  CodeableConcept,
  Extension,
  MedicationAdministration,
  MedicationAdministrationDosage,
  MedicationAdministrationPerformer,
  Ratio,
} from '@medplum/fhirtypes';
import type { DoseStatus, DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { instant } from '../kap/primitives.js';
import { coding } from '../terminology/coding.js';
import { DOSE_STATUS_REASON_CODES, PERFORM_FUNCTION_CODES } from '../terminology/dosing-codes.js';
import { ROUTE_CODES } from '../terminology/routes.js';
import { UCUM } from '../terminology/systems.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../terminology/units.js';
import type { MapContext } from './context.js';
import { medicationElements } from './medication.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/** MedicationAdministration.status of each KAP dose status (docs/design/issue-13-contract.md). */
export const ADMINISTRATION_STATUS: Readonly<Record<DoseStatus, MedicationAdministration['status']>> = {
  given: 'completed',
  held: 'not-done',
  refused: 'not-done',
  partial: 'stopped',
};

/**
 * The mg given for a weight-based dose, rounded to 0.01 mg (stable, free of binary noise).
 * @param mgPerKg - the dose per kg
 * @param kg - the body weight used
 */
export function totalMg(mgPerKg: number, kg: number): number {
  return Math.round(mgPerKg * kg * 100) / 100;
}

/**
 * The dose in mg (the mg/kg dose times the body weight used).
 * @param s - the dosing session
 */
export function doseMg(s: DosingSession): number {
  return s.dose.unit === 'mg/kg' ? totalMg(s.dose.value, s.dose.bodyWeightKg) : s.dose.value;
}

/**
 * The infusion rate of an IV dose with an end: mg over minutes (rounded to 0.1 min); undefined for any other route,
 * without an end, or when the end is not after the start (a zero-minute rate is no rate).
 * @param s - the dosing session
 */
export function infusionRate(s: DosingSession): Ratio | undefined {
  if (s.route !== 'iv' || s.doseEnd === undefined) {
    return undefined;
  }
  const minutes = Math.round((instant(s.doseEnd) - instant(s.doseStart)) / 6000) / 10;
  if (minutes <= 0) {
    return undefined;
  }
  return {
    numerator: ucumQuantity(doseMg(s), UNIT_MG),
    denominator: { value: minutes, unit: 'min', system: UCUM, code: 'min' },
  };
}

/**
 * The administered dosage.
 * @param s - the dosing session
 */
export function administeredDosage(s: DosingSession): MedicationAdministrationDosage {
  const route = { coding: [coding(ROUTE_CODES[s.route])] };
  const rateRatio = infusionRate(s);
  return {
    ...(s.dose.unit === 'mg/kg'
      ? { extension: [{ url: EXTENSIONS.dosePerBodyWeight, valueQuantity: ucumQuantity(s.dose.value, UNIT_MG_PER_KG) }] }
      : {}),
    route,
    dose: ucumQuantity(doseMg(s), UNIT_MG),
    ...(rateRatio ? { rateRatio } : {}),
  };
}

/**
 * Who gave the dose: the administering clinician; for a self-administered dose the patient (performer) and the
 * clinician who supervised it (witness).
 * @param s - the dosing session
 * @param ctx - the mapping context
 */
export function administrationPerformers(s: DosingSession, ctx: MapContext): MedicationAdministrationPerformer[] {
  const clinician = ctx.ref('Practitioner', s.administeredBy);
  if (!s.selfAdministered) {
    return [{ actor: clinician }];
  }
  return [
    { function: { coding: [coding(PERFORM_FUNCTION_CODES.performer)] }, actor: ctx.patient },
    { function: { coding: [coding(PERFORM_FUNCTION_CODES.witness)] }, actor: clinician },
  ];
}

/** The root extensions: lot number, then device count. */
function administrationExtensions(s: DosingSession): Extension[] {
  return [
    ...(s.lotNumber !== undefined ? [{ url: EXTENSIONS.lotNumber, valueString: s.lotNumber }] : []),
    ...(s.deviceCount !== undefined ? [{ url: EXTENSIONS.deviceCount, valuePositiveInt: s.deviceCount }] : []),
  ];
}

/**
 * Maps a dosing session to a MedicationAdministration.
 * @param s - the dosing session
 * @param ctx - the mapping context
 */
export function toMedicationAdministration(s: DosingSession, ctx: MapContext): MedicationAdministration {
  const extension = administrationExtensions(s);
  const statusReason: CodeableConcept[] | undefined =
    s.doseStatusReason !== undefined ? [{ coding: [coding(DOSE_STATUS_REASON_CODES[s.doseStatusReason])] }] : undefined;
  return {
    resourceType: 'MedicationAdministration',
    meta: metaProfile(PROFILES.administration),
    ...(extension.length > 0 ? { extension } : {}),
    identifier: [ctx.identifier('MedicationAdministration', s.id)],
    status: ADMINISTRATION_STATUS[s.doseStatus],
    ...(statusReason ? { statusReason } : {}),
    ...medicationElements(s),
    subject: ctx.patient,
    context: ctx.ref('Encounter', s.id),
    ...(s.doseEnd !== undefined
      ? { effectivePeriod: { start: s.doseStart, end: s.doseEnd } }
      : { effectiveDateTime: s.doseStart }),
    performer: administrationPerformers(s, ctx),
    request: ctx.ref('MedicationRequest', s.prescriptionId),
    ...(s.dose.bodyWeightKg !== undefined
      ? { supportingInformation: [ctx.ref('Observation', derivedObservationIds(s.id).weight)] }
      : {}),
    dosage: administeredDosage(s),
  };
}
