/**
 * The clinician's plan after a dosing session → FHIR R4 Observation (`kap-dosing-plan`), for the prescriber:
 * identifier `<sessionId>-plan`, code `kap-observation#dosing-plan`, valueCodeableConcept = `kap-dosing-plan#<recommendation>`,
 * component `kap-observation#recommended-dose` (UCUM mg or mg/kg) when a next dose is recommended, note = the plan's
 * note, performer → the author, effectiveDateTime = the plan's time, partOf → the MedicationAdministration,
 * encounter. No category (a plan is neither an exam nor a survey).
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { coding } from '../terminology/coding.js';
import { DOSING_PLAN_CODES } from '../terminology/dosing-codes.js';
import { KAP_OBSERVATION_CODES } from '../terminology/local-codes.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../terminology/units.js';
import type { MapContext } from './context.js';
import { doseObservation } from './dose-observation.js';
import { PROFILES } from './profiles.js';
import { ucumQuantity } from './quantities.js';

/**
 * Maps a dosing session's plan to an Observation (undefined when there is none).
 * @param session - the dosing session
 * @param ctx - the mapping context
 */
export function toDosingPlanObservation(session: DosingSession, ctx: MapContext): Observation | undefined {
  const p = session.plan;
  if (!p) {
    return undefined;
  }
  return doseObservation(session, ctx, derivedObservationIds(session.id).plan, PROFILES.dosingPlan, {
    code: { coding: [coding(KAP_OBSERVATION_CODES.dosingPlan)] },
    effectiveDateTime: p.time,
    performer: [ctx.ref('Practitioner', p.authorId)],
    valueCodeableConcept: { coding: [coding(DOSING_PLAN_CODES[p.recommendation])] },
    ...(p.note !== undefined ? { note: [{ text: p.note }] } : {}),
    ...(p.nextDose !== undefined
      ? {
          component: [
            {
              code: { coding: [coding(KAP_OBSERVATION_CODES.recommendedDose)] },
              valueQuantity: ucumQuantity(p.nextDose.value, p.nextDose.unit === 'mg/kg' ? UNIT_MG_PER_KG : UNIT_MG),
            },
          ],
        }
      : {}),
  });
}
