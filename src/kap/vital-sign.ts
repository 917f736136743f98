/**
 * A vital sign taken in a dosing session (docs/kap-model.md `vitals[]`), discriminated on `kind`:
 * blood pressure (systolic/diastolic mm[Hg]), heart rate and respiratory rate (/min), SpO2 (%).
 * Maps to FHIR Observation per the R4 vital-signs profiles.
 */
import { z } from 'zod';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';

/** Dosing phases (the local `kap-dosing-phase` code system). */
export const DOSING_PHASES = ['pre-dose', 'during-dose', 'post-dose'] as const;
/** A dosing phase. */
export type DosingPhase = (typeof DOSING_PHASES)[number];

const base = {
  id: kapIdSchema,
  time: kapDateTimeSchema,
  phase: z.enum(DOSING_PHASES),
};

/** Blood pressure: diastolic must be below systolic. */
export const bloodPressureSchema = z
  .strictObject({
    ...base,
    kind: z.literal('blood-pressure'),
    systolic: z.number().positive(),
    diastolic: z.number().positive(),
  })
  .superRefine((v, ctx) => {
    if (v.diastolic >= v.systolic) {
      ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'Diastolic pressure must be below systolic' });
    }
  });

/** Heart rate, beats per minute (> 0). */
export const heartRateSchema = z.strictObject({ ...base, kind: z.literal('heart-rate'), value: z.number().positive() });

/** Respiratory rate, breaths per minute (> 0). */
export const respiratoryRateSchema = z.strictObject({
  ...base,
  kind: z.literal('respiratory-rate'),
  value: z.number().positive(),
});

/** Oxygen saturation, percent (0–100). */
export const oxygenSaturationSchema = z.strictObject({
  ...base,
  kind: z.literal('oxygen-saturation'),
  value: z.number().min(0).max(100),
});

/** Sedation, MOAA/S 0–5 (Modified Observer's Assessment of Alertness/Sedation; 0 = no response, 5 = alert). */
export const sedationSchema = z.strictObject({ ...base, kind: z.literal('sedation'), moaas: z.int().min(0).max(5) });

/** A vital sign or sedation score (discriminated on `kind`). */
export const vitalSignSchema = z.discriminatedUnion('kind', [
  bloodPressureSchema,
  heartRateSchema,
  respiratoryRateSchema,
  oxygenSaturationSchema,
  sedationSchema,
]);
/** A vital sign. */
export type VitalSign = z.infer<typeof vitalSignSchema>;
/** The kinds of vital sign. */
export type VitalSignKind = VitalSign['kind'];
