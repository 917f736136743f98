/**
 * A dosing session (docs/kap-model.md `sessions[]` with `kind: "dosing"`): the dose given, who gave it
 * and who sat with the patient, vitals before/during/after, the dissociation score, side effects and
 * discharge. Maps to Encounter + MedicationAdministration + Procedure (dosing support) + Observations +
 * AdverseEvents. Cross-field rules (ids exist, times ordered) are episode rules (episode.ts).
 */
import { z } from 'zod';
import { dischargeReadinessSchema, respiratoryDepressionSchema } from './discharge.js';
import { administeredDoseSchema, KAP_PRODUCTS, KAP_ROUTES } from './dose.js';
import { DOSE_FORMS, strengthSchema } from './dose-form.js';
import { dosingPlanSchema } from './dosing-plan.js';
import { dissociationSchema } from './dissociation.js';
import { medicationReviewSchema } from './medication-review.js';
import { screeningSchema } from './screening.js';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';
import { sideEffectSchema } from './side-effect.js';
import { vitalSignSchema } from './vital-sign.js';

/** What became of the dose: given in full, held by the clinician, partly given (stopped), refused by the patient. */
export const DOSE_STATUSES = ['given', 'held', 'partial', 'refused'] as const;
/** What became of the dose. */
export type DoseStatus = (typeof DOSE_STATUSES)[number];

/** Why a dose was held, stopped or refused (local `kap-dose-status-reason`). */
export const DOSE_STATUS_REASONS = [
  'blood-pressure-high',
  'vital-signs-abnormal',
  'acute-illness',
  'intoxication',
  'pregnancy',
  'adverse-reaction',
  'patient-refused',
  'clinician-decision',
  'other',
] as const;
/** Why a dose was held, stopped or refused. */
export type DoseStatusReason = (typeof DOSE_STATUS_REASONS)[number];

/**
 * A dosing session. `vitals` and `sideEffects` default to `[]`, `doseStatus` to `given`. For a held or refused dose
 * `dose` is the dose that was planned; for a partial one, the dose actually given.
 */
export const dosingSessionSchema = z.strictObject({
  id: kapIdSchema,
  kind: z.literal('dosing'),
  start: kapDateTimeSchema,
  end: kapDateTimeSchema.optional(),
  practitionerIds: z.array(kapIdSchema),
  /** The prescription this dose fulfils (required: KapKetamineAdministration.request is 1..1). */
  prescriptionId: kapIdSchema,
  product: z.enum(KAP_PRODUCTS),
  route: z.enum(KAP_ROUTES),
  dose: administeredDoseSchema,
  doseStatus: z.enum(DOSE_STATUSES).default('given'),
  /** Required unless the dose was given (episode rule). */
  doseStatusReason: z.enum(DOSE_STATUS_REASONS).optional(),
  /** Racemic ketamine only: the dosage form and strength (a contained Medication). */
  form: z.enum(DOSE_FORMS).optional(),
  strength: strengthSchema.optional(),
  /** Esketamine only: nasal spray devices used (28 mg each; the dose must equal devices × 28 mg). */
  deviceCount: z.int().min(1).max(3).optional(),
  /** Esketamine: the patient sprays the dose, supervised by `administeredBy`. */
  selfAdministered: z.boolean().default(false),
  doseStart: kapDateTimeSchema,
  doseEnd: kapDateTimeSchema.optional(),
  lotNumber: z.string().regex(/^[A-Za-z0-9\-./]{1,64}$/).optional(),
  administeredBy: kapIdSchema,
  monitoredBy: z.array(kapIdSchema).min(1),
  vitals: z.array(vitalSignSchema).default([]),
  dissociation: dissociationSchema.optional(),
  sideEffects: z.array(sideEffectSchema).default([]),
  respiratoryDepression: respiratoryDepressionSchema.optional(),
  discharge: dischargeReadinessSchema.optional(),
  dischargedAt: kapDateTimeSchema.optional(),
  plan: dosingPlanSchema.optional(),
  medicationReview: medicationReviewSchema.optional(),
  screening: screeningSchema.optional(),
});
/** A dosing session. */
export type DosingSession = z.infer<typeof dosingSessionSchema>;
