/**
 * A KAP session (docs/kap-model.md `sessions[]`), discriminated on `kind`: intake `assessment`,
 * `preparation`, `dosing`, `integration`, `follow-up`. Each maps to an Encounter
 * (`kap-session-type#<kind>`); preparation/dosing/integration also to a psychotherapy Procedure.
 */
import { z } from 'zod';
import { dosingSessionSchema } from './dosing-session.js';
import { medicationReviewSchema } from './medication-review.js';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';
import { screeningSchema } from './screening.js';

/** The session kinds (local `kap-session-type` code system, clinical-codes.md §9). */
export const SESSION_KINDS = ['assessment', 'preparation', 'dosing', 'integration', 'follow-up'] as const;
/** A session kind. */
export type SessionKind = (typeof SESSION_KINDS)[number];

function plainSession<K extends Exclude<SessionKind, 'dosing'>>(kind: K) {
  return z.strictObject({
    id: kapIdSchema,
    kind: z.literal(kind),
    start: kapDateTimeSchema,
    end: kapDateTimeSchema.optional(),
    practitionerIds: z.array(kapIdSchema),
    medicationReview: medicationReviewSchema.optional(),
    screening: screeningSchema.optional(),
  });
}

/** Intake assessment session. */
export const assessmentSessionSchema = plainSession('assessment');
/** Preparation (psychotherapy) session. */
export const preparationSessionSchema = plainSession('preparation');
/** Integration (psychotherapy) session. */
export const integrationSessionSchema = plainSession('integration');
/** Follow-up session. */
export const followUpSessionSchema = plainSession('follow-up');

/** Any session (discriminated on `kind`). */
export const sessionSchema = z.discriminatedUnion('kind', [
  assessmentSessionSchema,
  preparationSessionSchema,
  dosingSessionSchema,
  integrationSessionSchema,
  followUpSessionSchema,
]);
/** Any session. */
export type Session = z.infer<typeof sessionSchema>;
/** A session that is not a dosing session. */
export type PlainSession = Exclude<Session, { kind: 'dosing' }>;
