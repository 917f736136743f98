/**
 * The frame every Observation about one dose shares (dissociation score, respiratory depression, discharge
 * readiness, the plan): its profile, identifier, `partOf` → the MedicationAdministration, status `final`, subject
 * and encounter = the dosing session. Each mapper adds its code, time and value.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import type { MapContext } from './context.js';
import { metaProfile } from './profiles.js';

/** What a dose Observation's mapper gives: everything but the shared frame. */
export type DoseObservationBody = Omit<Observation, 'resourceType' | 'meta' | 'identifier' | 'partOf' | 'status' | 'subject' | 'encounter'>;

/**
 * An Observation about the dose of a dosing session.
 * @param session - the dosing session
 * @param ctx - the mapping context
 * @param localId - the Observation's identifier value (src/kap/episode.ts derivedObservationIds)
 * @param profile - its profile URL
 * @param body - its code, time, value (and extension, category, performer …)
 */
export function doseObservation(
  session: DosingSession,
  ctx: MapContext,
  localId: string,
  profile: string,
  body: DoseObservationBody
): Observation {
  const { extension, ...rest } = body;
  return {
    resourceType: 'Observation',
    meta: metaProfile(profile),
    ...(extension ? { extension } : {}),
    identifier: [ctx.identifier('Observation', localId)],
    partOf: [ctx.ref('MedicationAdministration', session.id)],
    status: 'final',
    ...rest,
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
  };
}
