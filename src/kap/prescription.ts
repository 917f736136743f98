/**
 * A KAP prescription (docs/kap-model.md `prescriptions[]`) from a care-team prescriber. Maps to FHIR
 * MedicationRequest. Cross-field rules (prescriber exists, validity end ≥ start) are episode rules.
 */
import { z } from 'zod';
import { KAP_PRODUCTS, KAP_ROUTES, prescribedDoseSchema } from './dose.js';
import { DOSE_FORMS, strengthSchema } from './dose-form.js';
import { kapDateSchema, kapDateTimeSchema, kapIdSchema, kapNonBlankTextSchema } from './primitives.js';

/** Prescription statuses (a subset of FHIR R4 medicationrequest-status). */
export const PRESCRIPTION_STATUSES = ['active', 'completed', 'cancelled', 'on-hold'] as const;

/** The validity period of a prescription (dates; end optional). */
export const validitySchema = z.strictObject({
  start: kapDateSchema,
  end: kapDateSchema.optional(),
});

/** One prescription. */
export const prescriptionSchema = z.strictObject({
  id: kapIdSchema,
  prescriberId: kapIdSchema,
  status: z.enum(PRESCRIPTION_STATUSES),
  authoredOn: kapDateTimeSchema,
  product: z.enum(KAP_PRODUCTS),
  route: z.enum(KAP_ROUTES),
  dose: prescribedDoseSchema,
  sessions: z.int().min(1),
  validity: validitySchema,
  /** Racemic ketamine only: dosage form and strength (a contained Medication). */
  form: z.enum(DOSE_FORMS).optional(),
  strength: strengthSchema.optional(),
  /** At most one dosing session per this many days (Dosage.maxDosePerPeriod: the dose per N days). */
  minIntervalDays: z.int().min(1).max(365).optional(),
  /** The written sig (≤ 500 characters); absent: generated from the structured fields. */
  sig: kapNonBlankTextSchema.pipe(z.string().max(500)).optional(),
});
/** One prescription. */
export type Prescription = z.infer<typeof prescriptionSchema>;
