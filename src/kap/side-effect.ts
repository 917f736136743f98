/**
 * A side effect observed in a dosing session (docs/kap-model.md `sideEffects[]`). Maps to FHIR
 * AdverseEvent (SNOMED CT finding of clinical-codes.md §8 or local `kap-side-effect` code).
 */
import { z } from 'zod';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';

/** Side effects the model knows. */
export const SIDE_EFFECTS = [
  'nausea',
  'vomiting',
  'dizziness',
  'headache',
  'elevated-blood-pressure',
  'anxiety',
  'sedation',
  'dissociation',
] as const;
/** A side effect. */
export type SideEffectKind = (typeof SIDE_EFFECTS)[number];

/** Severities (FHIR R4 adverse-event-severity). */
export const SIDE_EFFECT_SEVERITIES = ['mild', 'moderate', 'severe'] as const;

/** Outcomes (FHIR R4 adverse-event-outcome, spelled in kebab-case: `resolved-with-sequelae` = resolvedWithSequelae). */
export const SIDE_EFFECT_OUTCOMES = ['resolved', 'recovering', 'ongoing', 'resolved-with-sequelae', 'fatal', 'unknown'] as const;

/** One side effect; `serious` per the regulatory definition (FHIR adverse-event-seriousness). */
export const sideEffectSchema = z.strictObject({
  id: kapIdSchema,
  effect: z.enum(SIDE_EFFECTS),
  severity: z.enum(SIDE_EFFECT_SEVERITIES),
  onset: kapDateTimeSchema.optional(),
  serious: z.boolean().optional(),
  outcome: z.enum(SIDE_EFFECT_OUTCOMES).optional(),
});
/** One side effect. */
export type SideEffect = z.infer<typeof sideEffectSchema>;
