/**
 * Vital signs of a dosing session → FHIR R4 Observations per the vital-signs profiles
 * (http://hl7.org/fhir/R4/observation-vitalsigns.html): status final, category `vital-signs`, LOINC code,
 * UCUM units, effectiveDateTime, subject, encounter, `partOf` → the MedicationAdministration and the
 * `kap-dosing-phase` extension. BP = 85354-9 panel with components 8480-6 / 8462-4; SpO2 carries 2708-6
 * and 59408-5. The body weight of a dose (used for a mg/kg dose, or recorded with a mg dose) → 29463-7 in kg. Sedation (MOAA/S) is no vital sign in FHIR
 * terms: `kap-sedation-score`, category `exam`, code `kap-observation#moaas`, valueInteger, with the same partOf,
 * encounter and phase.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import type { VitalSign } from '../kap/vital-sign.js';
import { coding, type KapCoding } from '../terminology/coding.js';
import { DOSING_PHASE_CODES, MOAAS_SCORE } from '../terminology/local-codes.js';
import { UNIT_KG, UNIT_MM_HG, UNIT_PER_MIN, UNIT_PERCENT } from '../terminology/units.js';
import {
  CATEGORY_EXAM,
  CATEGORY_VITAL_SIGNS,
  LOINC_BODY_WEIGHT,
  LOINC_BP_PANEL,
  LOINC_DIASTOLIC,
  LOINC_HEART_RATE,
  LOINC_RESPIRATORY_RATE,
  LOINC_SPO2,
  LOINC_SPO2_PULSE_OXIMETRY,
  LOINC_SYSTOLIC,
} from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/** The phase extension of an Observation taken around a dose. */
export function dosingPhaseExtension(phase: keyof typeof DOSING_PHASE_CODES): { url: string; valueCode: string } {
  return { url: EXTENSIONS.dosingPhase, valueCode: DOSING_PHASE_CODES[phase].code };
}

/** What varies by vital-sign kind. */
function vitalBody(
  v: VitalSign
): Pick<Observation, 'meta' | 'code' | 'valueQuantity' | 'valueInteger' | 'component'> & { category?: KapCoding } {
  switch (v.kind) {
    case 'blood-pressure':
      return {
        meta: metaProfile(PROFILES.bloodPressure),
        code: { coding: [coding(LOINC_BP_PANEL)] },
        component: [
          { code: { coding: [coding(LOINC_SYSTOLIC)] }, valueQuantity: ucumQuantity(v.systolic, UNIT_MM_HG) },
          { code: { coding: [coding(LOINC_DIASTOLIC)] }, valueQuantity: ucumQuantity(v.diastolic, UNIT_MM_HG) },
        ],
      };
    case 'heart-rate':
      return {
        meta: metaProfile(PROFILES.heartRate),
        code: { coding: [coding(LOINC_HEART_RATE)] },
        valueQuantity: ucumQuantity(v.value, UNIT_PER_MIN),
      };
    case 'respiratory-rate':
      return {
        meta: metaProfile(PROFILES.respiratoryRate),
        code: { coding: [coding(LOINC_RESPIRATORY_RATE)] },
        valueQuantity: ucumQuantity(v.value, UNIT_PER_MIN),
      };
    case 'oxygen-saturation':
      return {
        meta: metaProfile(PROFILES.oxygenSaturation),
        code: { coding: [coding(LOINC_SPO2), coding(LOINC_SPO2_PULSE_OXIMETRY)] },
        valueQuantity: ucumQuantity(v.value, UNIT_PERCENT),
      };
    case 'sedation':
      return {
        meta: metaProfile(PROFILES.sedationScore),
        category: CATEGORY_EXAM,
        code: { coding: [coding(MOAAS_SCORE)] },
        valueInteger: v.moaas,
      };
  }
}

/**
 * Maps a vital sign (or sedation score) taken in a dosing session to an Observation (identifier value = the vital's id).
 * @param v - the vital sign
 * @param session - its dosing session
 * @param ctx - the mapping context
 */
export function toVitalSignObservation(v: VitalSign, session: DosingSession, ctx: MapContext): Observation {
  const body = vitalBody(v);
  return {
    resourceType: 'Observation',
    meta: body.meta,
    extension: [dosingPhaseExtension(v.phase)],
    identifier: [ctx.identifier('Observation', v.id)],
    partOf: [ctx.ref('MedicationAdministration', session.id)],
    status: 'final',
    category: [{ coding: [coding(body.category ?? CATEGORY_VITAL_SIGNS)] }],
    code: body.code,
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
    effectiveDateTime: v.time,
    ...(body.valueQuantity ? { valueQuantity: body.valueQuantity } : {}),
    ...(body.valueInteger !== undefined ? { valueInteger: body.valueInteger } : {}),
    ...(body.component ? { component: body.component } : {}),
  };
}

/**
 * The body weight of a dose (the weight a mg/kg dose was calculated from, or the weight recorded with a mg dose) →
 * Observation (identifier value `<sessionId>-weight`, effectiveDateTime = doseStart); undefined for a mg dose without
 * a body weight.
 * @param session - the dosing session
 * @param ctx - the mapping context
 */
export function toBodyWeightObservation(session: DosingSession, ctx: MapContext): Observation | undefined {
  const kg = session.dose.bodyWeightKg;
  if (kg === undefined) {
    return undefined;
  }
  return {
    resourceType: 'Observation',
    meta: metaProfile(PROFILES.bodyWeight),
    identifier: [ctx.identifier('Observation', derivedObservationIds(session.id).weight)],
    status: 'final',
    category: [{ coding: [coding(CATEGORY_VITAL_SIGNS)] }],
    code: { coding: [coding(LOINC_BODY_WEIGHT)] },
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
    effectiveDateTime: session.doseStart,
    valueQuantity: ucumQuantity(kg, UNIT_KG),
  };
}
