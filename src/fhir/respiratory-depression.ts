/**
 * Respiratory depression watched for in a dosing session → FHIR R4 Observation (`kap-respiratory-depression`):
 * identifier `<sessionId>-resp-depression`, category `exam`, code `kap-observation#respiratory-depression`,
 * valueBoolean = observed, effectiveDateTime = when recorded, partOf → the MedicationAdministration, encounter.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { coding } from '../terminology/coding.js';
import { KAP_OBSERVATION_CODES } from '../terminology/local-codes.js';
import { CATEGORY_EXAM } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { doseObservation } from './dose-observation.js';
import { PROFILES } from './profiles.js';

/**
 * Maps a dosing session's respiratory-depression record to an Observation (undefined when none was recorded).
 * @param session - the dosing session
 * @param ctx - the mapping context
 */
export function toRespiratoryDepressionObservation(session: DosingSession, ctx: MapContext): Observation | undefined {
  const r = session.respiratoryDepression;
  if (!r) {
    return undefined;
  }
  return doseObservation(session, ctx, derivedObservationIds(session.id).respiratoryDepression, PROFILES.respiratoryDepression, {
    category: [{ coding: [coding(CATEGORY_EXAM)] }],
    code: { coding: [coding(KAP_OBSERVATION_CODES.respiratoryDepression)] },
    effectiveDateTime: r.time,
    valueBoolean: r.observed,
  });
}
