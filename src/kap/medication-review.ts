/**
 * The current-medication review of a session (docs/kap-model.md `medicationReview`): recorded at assessment and
 * confirmed at each dosing session (the Spravato REMS Patient Monitoring Form asks at every session). Each medication
 * is coded by the class that matters to ketamine; `none: true` records "takes no medication", which differs from an
 * absent review ("not asked"). Maps to MedicationStatement (one per medication, or one "no known medications").
 */
import { z } from 'zod';
import { kapDateTimeSchema, kapIdSchema, kapNonBlankTextSchema } from './primitives.js';

/**
 * Medication classes that matter to ketamine (local `kap-medication-class`): benzodiazepines and non-benzodiazepine
 * hypnotics (sedation; benzodiazepines may blunt the response), psychostimulants and MAOIs (blood pressure), opioids
 * and other CNS depressants (sedation, respiratory depression), lamotrigine (may blunt the response), other.
 */
export const MEDICATION_CLASSES = [
  'benzodiazepine',
  'non-benzodiazepine-hypnotic',
  'psychostimulant',
  'maoi',
  'opioid',
  'other-cns-depressant',
  'lamotrigine',
  'other',
] as const;
/** A medication class. */
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

/** Statuses of a current medication (a subset of R4 medication-statement-status). */
export const MEDICATION_USE_STATUSES = ['active', 'on-hold', 'stopped'] as const;

/** One medication the patient takes (or stopped), by class; `name` is optional free text (≤ 200 characters). */
export const medicationUseSchema = z.strictObject({
  id: kapIdSchema,
  class: z.enum(MEDICATION_CLASSES),
  name: kapNonBlankTextSchema.pipe(z.string().max(200)).optional(),
  status: z.enum(MEDICATION_USE_STATUSES).default('active'),
});
/** One medication. */
export type MedicationUse = z.infer<typeof medicationUseSchema>;

/** A medication review: when, and either `none: true` or at least one medication. */
export const medicationReviewSchema = z
  .strictObject({
    reviewedAt: kapDateTimeSchema,
    none: z.boolean().default(false),
    medications: z.array(medicationUseSchema).default([]),
  })
  .superRefine((r, ctx) => {
    if (r.none && r.medications.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['none'], message: '"none" with medications listed' });
    } else if (!r.none && r.medications.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['medications'], message: 'List the medications, or record "none": true' });
    }
    const seen = new Set<string>();
    r.medications.forEach((m, i) => {
      if (seen.has(m.id)) {
        ctx.addIssue({ code: 'custom', path: ['medications', i, 'id'], message: 'Duplicate medication id' });
      }
      seen.add(m.id);
    });
  });
/** A medication review. */
export type MedicationReview = z.infer<typeof medicationReviewSchema>;
