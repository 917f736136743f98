/**
 * A dosing session (docs/kap-model.md `sessions[]` with `kind: "dosing"`): the dose given, who gave it
 * and who sat with the patient, vitals before/during/after, the dissociation score, side effects and
 * discharge. Maps to Encounter + MedicationAdministration + Procedure (dosing support) + Observations +
 * AdverseEvents. Cross-field rules (ids exist, times ordered) are episode rules (episode.ts).
 */
import { z } from 'zod';
import { administeredDoseSchema, KAP_PRODUCTS, KAP_ROUTES } from './dose.js';
import { dissociationSchema } from './dissociation.js';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';
import { sideEffectSchema } from './side-effect.js';
import { vitalSignSchema } from './vital-sign.js';

/** A dosing session. `vitals` and `sideEffects` default to `[]`. */
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
  doseStart: kapDateTimeSchema,
  doseEnd: kapDateTimeSchema.optional(),
  lotNumber: z.string().regex(/^[A-Za-z0-9\-./]{1,64}$/).optional(),
  administeredBy: kapIdSchema,
  monitoredBy: z.array(kapIdSchema).min(1),
  vitals: z.array(vitalSignSchema).default([]),
  dissociation: dissociationSchema.optional(),
  sideEffects: z.array(sideEffectSchema).default([]),
  dischargedAt: kapDateTimeSchema.optional(),
});
/** A dosing session. */
export type DosingSession = z.infer<typeof dosingSessionSchema>;
