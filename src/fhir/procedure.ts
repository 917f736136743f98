/**
 * A preparation / dosing / integration session → FHIR R4 Procedure (`kap-psychotherapy-session`): status
 * completed (`preparation` while the session has no end), code SNOMED 75516001 Psychotherapy plus, for
 * preparation and integration, the time-based CPT code (90832 / 90834 / 90837; never 0820T–0822T),
 * subject, encounter, performedPeriod, performer = therapists (`monitoredBy` for dosing support,
 * `practitionerIds` otherwise), partOf → the MedicationAdministration for dosing.
 */
import type { Coding, Procedure } from '@medplum/fhirtypes';
import type { Session } from '../kap/session.js';
import { instant } from '../kap/primitives.js';
import { coding } from '../terminology/coding.js';
import { psychotherapyCptFor, SNOMED_PSYCHOTHERAPY } from '../terminology/procedures.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/** Session kinds that are psychotherapy (a Procedure is made for them). */
export const PSYCHOTHERAPY_KINDS: ReadonlySet<Session['kind']> = new Set(['preparation', 'dosing', 'integration']);

/**
 * The procedure codes of a session: SNOMED Psychotherapy, plus CPT by duration for preparation and
 * integration sessions with an end.
 * @param session - the session
 */
export function procedureCodings(session: Session): Coding[] {
  const codings = [coding(SNOMED_PSYCHOTHERAPY)];
  if ((session.kind === 'preparation' || session.kind === 'integration') && session.end !== undefined) {
    const minutes = Math.floor((instant(session.end) - instant(session.start)) / 60000);
    const cpt = psychotherapyCptFor(minutes);
    if (cpt) {
      codings.push(coding(cpt));
    }
  }
  return codings;
}

/**
 * Maps a psychotherapy session to a Procedure (undefined for assessment and follow-up sessions).
 * @param session - the session
 * @param ctx - the mapping context
 */
export function toProcedure(session: Session, ctx: MapContext): Procedure | undefined {
  if (!PSYCHOTHERAPY_KINDS.has(session.kind)) {
    return undefined;
  }
  const performers = session.kind === 'dosing' ? session.monitoredBy : session.practitionerIds;
  return {
    resourceType: 'Procedure',
    meta: metaProfile(PROFILES.psychotherapy),
    identifier: [ctx.identifier('Procedure', session.id)],
    ...(session.kind === 'dosing' ? { partOf: [ctx.ref('MedicationAdministration', session.id)] } : {}),
    status: session.end !== undefined ? 'completed' : 'preparation',
    code: { coding: procedureCodings(session) },
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
    performedPeriod: { start: session.start, ...(session.end !== undefined ? { end: session.end } : {}) },
    ...(performers.length > 0 ? { performer: performers.map((id) => ({ actor: ctx.ref('Practitioner', id) })) } : {}),
  };
}
