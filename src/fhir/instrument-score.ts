/**
 * The total score of a questionnaire result → FHIR R4 Observation (`kap-instrument-score`): category
 * survey, code = the instrument's total code (LOINC, or the local `kap-observation` code), valueInteger,
 * interpretation = severity band, derivedFrom → QuestionnaireResponse, effectiveDateTime = authored.
 * Scored by src/instruments; omitted (not an error) when the instrument refuses to score. The C-SSRS
 * screener has no total: its risk level (`kap-cssrs-risk`) goes in valueCodeableConcept.
 * Identifier value = the questionnaire result's id (one per result).
 */
import type { Observation } from '@medplum/fhirtypes';
import { getInstrument } from '../instruments/index.js';
import type { QuestionnaireResult } from '../kap/questionnaire-result.js';
import { coding } from '../terminology/coding.js';
import { CATEGORY_SURVEY } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/**
 * Maps a questionnaire result's score to an Observation, or undefined when it cannot be scored.
 * @param q - the questionnaire result
 * @param ctx - the mapping context
 */
export function toInstrumentScoreObservation(q: QuestionnaireResult, ctx: MapContext): Observation | undefined {
  const instrument = getInstrument(q.instrument);
  const result = instrument.score(q.answers);
  if (!result.ok) {
    return undefined;
  }
  let value: Pick<Observation, 'valueInteger' | 'valueCodeableConcept' | 'interpretation'>;
  if (result.total !== undefined) {
    value = {
      valueInteger: result.total,
      ...(result.band ? { interpretation: [{ coding: [{ ...result.band }] }] } : {}),
    };
  } else if (result.risk) {
    value = { valueCodeableConcept: { coding: [{ ...result.risk }] } };
  } else {
    return undefined;
  }
  return {
    resourceType: 'Observation',
    meta: metaProfile(PROFILES.instrumentScore),
    identifier: [ctx.identifier('Observation', q.id)],
    status: 'final',
    category: [{ coding: [coding(CATEGORY_SURVEY)] }],
    code: { coding: [{ ...instrument.totalCode }] },
    subject: ctx.patient,
    ...(q.sessionId !== undefined ? { encounter: ctx.ref('Encounter', q.sessionId) } : {}),
    effectiveDateTime: q.authored,
    ...value,
    derivedFrom: [ctx.ref('QuestionnaireResponse', q.id)],
  };
}
