/**
 * The dissociation score of a dosing session → FHIR R4 Observation (`kap-dissociation-score`): code
 * `kap-observation#cadss6-total`, category survey, valueInteger, partOf → MedicationAdministration,
 * encounter, effectiveDateTime and `kap-dosing-phase` when timed. The phase is derived from the time:
 * before doseStart → pre-dose; after doseEnd → post-dose; otherwise during-dose.
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { instant } from '../kap/primitives.js';
import type { DosingPhase } from '../kap/vital-sign.js';
import { coding } from '../terminology/coding.js';
import { CADSS6_TOTAL } from '../terminology/local-codes.js';
import { CATEGORY_SURVEY } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { doseObservation } from './dose-observation.js';
import { PROFILES } from './profiles.js';
import { dosingPhaseExtension } from './vital-signs.js';

/**
 * The dosing phase of a time within a dosing session.
 * @param time - the time
 * @param session - the dosing session
 */
export function phaseAt(time: string, session: DosingSession): DosingPhase {
  const t = instant(time);
  if (t < instant(session.doseStart)) {
    return 'pre-dose';
  }
  if (session.doseEnd !== undefined && t > instant(session.doseEnd)) {
    return 'post-dose';
  }
  return 'during-dose';
}

/**
 * Maps a dosing session's dissociation score to an Observation (undefined when there is none).
 * @param session - the dosing session
 * @param ctx - the mapping context
 */
export function toDissociationObservation(session: DosingSession, ctx: MapContext): Observation | undefined {
  const d = session.dissociation;
  if (!d) {
    return undefined;
  }
  return doseObservation(session, ctx, derivedObservationIds(session.id).dissociation, PROFILES.dissociationScore, {
    ...(d.time !== undefined ? { extension: [dosingPhaseExtension(phaseAt(d.time, session))] } : {}),
    category: [{ coding: [coding(CATEGORY_SURVEY)] }],
    code: { coding: [coding(CADSS6_TOTAL)] },
    ...(d.time !== undefined ? { effectiveDateTime: d.time } : {}),
    valueInteger: d.score,
  });
}
