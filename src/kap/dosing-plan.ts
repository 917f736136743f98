/**
 * The clinician's plan after a dosing session, for the prescriber (docs/kap-model.md `plan`): a coded next-dose
 * recommendation, optionally the dose recommended and a short note (free text ≤ 2,000 characters: it goes to the
 * prescriber's record, never to a log). Maps to the `kap-dosing-plan` Observation.
 */
import { z } from 'zod';
import { prescribedDoseSchema } from './dose.js';
import { kapDateTimeSchema, kapIdSchema, kapNonBlankTextSchema } from './primitives.js';

/** Next-dose recommendations (local `kap-dosing-plan`). */
export const PLAN_RECOMMENDATIONS = ['continue', 'increase', 'decrease', 'hold', 'stop', 'reassess'] as const;
/** A next-dose recommendation. */
export type PlanRecommendation = (typeof PLAN_RECOMMENDATIONS)[number];

/** The plan of a dosing session. */
export const dosingPlanSchema = z.strictObject({
  recommendation: z.enum(PLAN_RECOMMENDATIONS),
  /** The next dose recommended (mg or mg/kg). */
  nextDose: prescribedDoseSchema.optional(),
  note: kapNonBlankTextSchema.pipe(z.string().max(2000)).optional(),
  /** The care-team member who wrote the plan. */
  authorId: kapIdSchema,
  time: kapDateTimeSchema,
});
/** The plan of a dosing session. */
export type DosingPlan = z.infer<typeof dosingPlanSchema>;
