/**
 * A session → FHIR R4 Encounter (`kap-session-encounter`): status `finished` (or `planned` without an
 * end), class AMB, type `kap-session-type#<kind>`, subject, episodeOfCare, period, participant = the
 * session's `practitionerIds`, serviceProvider = clinic. A dosing session's `dischargedAt` is recorded as
 * `statusHistory[0] = { status: 'finished', period.start: dischargedAt }` (docs/mapping-forward.md).
 */
import type { Encounter } from '@medplum/fhirtypes';
import type { Session } from '../kap/session.js';
import { coding } from '../terminology/coding.js';
import { ENCOUNTER_CLASS_AMBULATORY, SESSION_TYPES } from '../terminology/local-codes.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/**
 * Maps a session to an Encounter.
 * @param session - the session
 * @param ctx - the mapping context
 */
export function toEncounter(session: Session, ctx: MapContext): Encounter {
  const discharged = session.kind === 'dosing' ? session.dischargedAt : undefined;
  return {
    resourceType: 'Encounter',
    meta: metaProfile(PROFILES.encounter),
    identifier: [ctx.identifier('Encounter', session.id)],
    status: session.end !== undefined ? 'finished' : 'planned',
    ...(discharged !== undefined ? { statusHistory: [{ status: 'finished', period: { start: discharged } }] } : {}),
    class: coding(ENCOUNTER_CLASS_AMBULATORY),
    type: [{ coding: [coding(SESSION_TYPES[session.kind])] }],
    subject: ctx.patient,
    episodeOfCare: [ctx.ref('EpisodeOfCare', ctx.episode.id)],
    ...(session.practitionerIds.length > 0
      ? { participant: session.practitionerIds.map((id) => ({ individual: ctx.ref('Practitioner', id) })) }
      : {}),
    period: { start: session.start, ...(session.end !== undefined ? { end: session.end } : {}) },
    serviceProvider: ctx.organization,
  };
}
