/**
 * Contraindication and precaution screening of a session (any kind) → FHIR R4 Observations (`kap-screening`), one
 * per item asked: identifier `screeningObservationId(sessionId, item)`, category `survey`, code `kap-screening#<item>`,
 * present → valueBoolean true, absent → false, unknown → dataAbsentReason `asked-unknown`; "none known" → identifier
 * `screeningObservationId(sessionId, 'none-known')`, code `kap-screening#none-known`, valueBoolean true. Each:
 * effectiveDateTime = screenedAt, subject, encounter.
 */
import type { Observation } from '@medplum/fhirtypes';
import { screeningObservationId } from '../kap/episode.js';
import { SCREENING_ITEMS, type Screening, type ScreeningResult } from '../kap/screening.js';
import type { Session } from '../kap/session.js';
import { coding } from '../terminology/coding.js';
import { DATA_ABSENT_ASKED_UNKNOWN, SCREENING_CODES } from '../terminology/screening-codes.js';
import { CATEGORY_SURVEY } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/** The local item of the "none known" Observation. */
export const NONE_KNOWN = 'none-known';

/** The value (or absent reason) of an answer. */
function answer(result: ScreeningResult): Pick<Observation, 'valueBoolean' | 'dataAbsentReason'> {
  return result === 'unknown'
    ? { dataAbsentReason: { coding: [coding(DATA_ABSENT_ASKED_UNKNOWN)] } }
    : { valueBoolean: result === 'present' };
}

/** One screening Observation. */
function screeningObservation(
  session: Session,
  screening: Screening,
  item: keyof typeof SCREENING_CODES,
  value: Pick<Observation, 'valueBoolean' | 'dataAbsentReason'>,
  ctx: MapContext
): Observation {
  return {
    resourceType: 'Observation',
    meta: metaProfile(PROFILES.screening),
    identifier: [ctx.identifier('Observation', screeningObservationId(session.id, item))],
    status: 'final',
    category: [{ coding: [coding(CATEGORY_SURVEY)] }],
    code: { coding: [coding(SCREENING_CODES[item])] },
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
    effectiveDateTime: screening.screenedAt,
    ...value,
  };
}

/**
 * Maps a session's screening to Observations, items in the model's order ([] when the session has no screening).
 * @param session - any session
 * @param ctx - the mapping context
 */
export function toScreeningObservations(session: Session, ctx: MapContext): Observation[] {
  const s = session.screening;
  if (!s) {
    return [];
  }
  const out: Observation[] = [];
  for (const item of SCREENING_ITEMS) {
    const result = s.findings[item];
    if (result !== undefined) {
      out.push(screeningObservation(session, s, item, answer(result), ctx));
    }
  }
  if (s.noneKnown) {
    out.push(screeningObservation(session, s, NONE_KNOWN, { valueBoolean: true }, ctx));
  }
  return out;
}
