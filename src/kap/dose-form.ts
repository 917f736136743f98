/**
 * The dosage form and strength of racemic ketamine (docs/kap-model.md `form`, `strength`): compounded lozenges
 * (troches), oral solutions, injections and compounded nasal sprays have no RxNorm clinical drug, so the mapping
 * carries the form and strength in a contained Medication (clinical-codes.md §2). Esketamine's form and strength are
 * those of its RxNorm product (Spravato nasal spray, 28 mg per device), counted in `deviceCount`.
 */
import { z } from 'zod';

/** Dosage forms of racemic ketamine (local `kap-dose-form`). */
export const DOSE_FORMS = [
  'injection-solution',
  'lozenge',
  'sublingual-tablet',
  'oral-solution',
  'capsule',
  'nasal-spray',
] as const;
/** A dosage form. */
export type DoseForm = (typeof DOSE_FORMS)[number];

/** Strength: mg per mL (solutions, sprays) or per unit (one lozenge, tablet or capsule). */
export const strengthSchema = z.strictObject({
  mg: z.number().positive(),
  per: z.enum(['mL', 'unit']),
});
/** A strength. */
export type Strength = z.infer<typeof strengthSchema>;

/** Esketamine nasal spray: mg per device (Spravato label: each device delivers 28 mg). */
export const ESKETAMINE_MG_PER_DEVICE = 28;
