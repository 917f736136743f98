/**
 * Readiness for discharge after a dose → FHIR R4 Observation (`kap-discharge-readiness`): identifier
 * `<sessionId>-discharge`, category `exam`, code `kap-observation#discharge-readiness`, valueBoolean = the clinic's
 * discharge criteria met, effectiveDateTime = when the patient was ready, component `kap-observation#discharge-transport`
 * with the `kap-discharge-transport` code, partOf → the MedicationAdministration, encounter. (The time the patient
 * left stays `dischargedAt`, Encounter.statusHistory.)
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import { derivedObservationIds } from '../kap/episode.js';
import { coding } from '../terminology/coding.js';
import { DISCHARGE_TRANSPORT_CODES } from '../terminology/dosing-codes.js';
import { KAP_OBSERVATION_CODES } from '../terminology/local-codes.js';
import { CATEGORY_EXAM } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { doseObservation } from './dose-observation.js';
import { PROFILES } from './profiles.js';

/**
 * Maps a dosing session's discharge readiness to an Observation (undefined when none was recorded).
 * @param session - the dosing session
 * @param ctx - the mapping context
 */
export function toDischargeReadinessObservation(session: DosingSession, ctx: MapContext): Observation | undefined {
  const d = session.discharge;
  if (!d) {
    return undefined;
  }
  return doseObservation(session, ctx, derivedObservationIds(session.id).discharge, PROFILES.dischargeReadiness, {
    category: [{ coding: [coding(CATEGORY_EXAM)] }],
    code: { coding: [coding(KAP_OBSERVATION_CODES.dischargeReadiness)] },
    effectiveDateTime: d.readyAt,
    valueBoolean: d.criteriaMet,
    component: [
      {
        code: { coding: [coding(KAP_OBSERVATION_CODES.dischargeTransport)] },
        valueCodeableConcept: { coding: [coding(DISCHARGE_TRANSPORT_CODES[d.transport])] },
      },
    ],
  });
}
