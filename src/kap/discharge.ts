/**
 * Readiness for discharge after a dose (docs/kap-model.md `discharge`): whether the clinic's discharge criteria were
 * met, when the patient was ready to leave, and how they went home (the Spravato label: no driving until the next day
 * after a restful sleep). Maps to the `kap-discharge-readiness` Observation; `dischargedAt` stays the time they left.
 */
import { z } from 'zod';
import { kapDateTimeSchema } from './primitives.js';

/** How the patient went home (local `kap-discharge-transport`). */
export const DISCHARGE_TRANSPORTS = [
  'responsible-adult',
  'taxi-or-rideshare',
  'public-transport',
  'walked',
  'drove-self',
  'other',
] as const;
/** A discharge transport. */
export type DischargeTransport = (typeof DISCHARGE_TRANSPORTS)[number];

/** Readiness for discharge. */
export const dischargeReadinessSchema = z.strictObject({
  criteriaMet: z.boolean(),
  readyAt: kapDateTimeSchema,
  transport: z.enum(DISCHARGE_TRANSPORTS),
});
/** Readiness for discharge. */
export type DischargeReadiness = z.infer<typeof dischargeReadinessSchema>;

/** Respiratory depression watched for during the session (observed or not, and when recorded). */
export const respiratoryDepressionSchema = z.strictObject({
  observed: z.boolean(),
  time: kapDateTimeSchema,
});
/** Respiratory depression watched for. */
export type RespiratoryDepression = z.infer<typeof respiratoryDepressionSchema>;
