/**
 * A KAP indication (docs/kap-model.md `indications[]`): an ICD-10-CM diagnosis from
 * clinical-codes.md §6 and the treatment-resistant flag (no ICD-10-CM code exists for it: it maps to the
 * local `kap-condition-qualifier#treatment-resistant`). Maps to FHIR Condition.
 */
import { z } from 'zod';
import { INDICATION_CODES } from '../terminology/conditions.js';
import { kapDateSchema, kapIdSchema } from './primitives.js';

/** One indication for KAP. */
export const indicationSchema = z.strictObject({
  id: kapIdSchema,
  code: z.enum(INDICATION_CODES),
  treatmentResistant: z.boolean(),
  onsetDate: kapDateSchema.optional(),
});
/** One indication for KAP. */
export type Indication = z.infer<typeof indicationSchema>;
