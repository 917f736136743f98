/**
 * KAP doses (docs/kap-model.md): a prescribed dose (`{ unit: 'mg' | 'mg/kg', value }`) and an
 * administered dose (mg, optionally with the patient's body weight; or mg/kg with the body weight used). Values > 0;
 * body weight in (0, 400] kg.
 */
import { z } from 'zod';

/** Ketamine products: racemic ketamine or esketamine. */
export const KAP_PRODUCTS = ['ketamine', 'esketamine'] as const;
/** A ketamine product. */
export type KapProduct = (typeof KAP_PRODUCTS)[number];

/** Routes of administration (SNOMED CT in clinical-codes.md §3). */
export const KAP_ROUTES = ['iv', 'im', 'intranasal', 'oral', 'sublingual', 'buccal'] as const;
/** A route of administration. */
export type KapRoute = (typeof KAP_ROUTES)[number];

/** Dose units: UCUM `mg` and `mg/kg`. */
export const DOSE_UNITS = ['mg', 'mg/kg'] as const;

const doseValue = z.number().positive();
/** A body weight in kg: > 0 and ≤ 400. */
const bodyWeightKg = z.number().positive().max(400);

/** A prescribed dose. */
export const prescribedDoseSchema = z.strictObject({
  unit: z.enum(DOSE_UNITS),
  value: doseValue,
});
/** A prescribed dose. */
export type PrescribedDose = z.infer<typeof prescribedDoseSchema>;

/**
 * An administered dose in mg, optionally with the patient's body weight at the dose (kg, > 0 and ≤ 400) so that
 * the dose per kg can be checked against the route's ceiling.
 */
export const mgDoseSchema = z.strictObject({
  unit: z.literal('mg'),
  value: doseValue,
  bodyWeightKg: bodyWeightKg.optional(),
});

/** An administered weight-based dose in mg/kg with the body weight used (kg, > 0 and ≤ 400). */
export const mgPerKgDoseSchema = z.strictObject({
  unit: z.literal('mg/kg'),
  value: doseValue,
  bodyWeightKg,
});

/** An administered dose (discriminated on `unit`). */
export const administeredDoseSchema = z.discriminatedUnion('unit', [mgDoseSchema, mgPerKgDoseSchema]);
/** An administered dose. */
export type AdministeredDose = z.infer<typeof administeredDoseSchema>;
