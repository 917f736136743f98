/**
 * The dissociation score of a dosing session (docs/kap-model.md `dissociation`): CADSS-6 total, 0–24
 * (6 items × 0–4), optionally timed. Maps to the `kap-dissociation-score` Observation.
 */
import { z } from 'zod';
import { kapDateTimeSchema } from './primitives.js';

/** Maximum CADSS-6 total (6 items scored 0–4). */
export const CADSS6_MAX = 24;

/** A dissociation score. */
export const dissociationSchema = z.strictObject({
  instrument: z.literal('cadss6'),
  score: z.int().min(0).max(CADSS6_MAX),
  time: kapDateTimeSchema.optional(),
});
/** A dissociation score. */
export type Dissociation = z.infer<typeof dissociationSchema>;
