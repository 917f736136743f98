/**
 * The score of a questionnaire result → FHIR R4 Observations:
 * - the total (`kap-instrument-score`): category survey, code = the instrument's total code (LOINC, or the local
 *   `kap-observation` code), valueInteger, interpretation = severity band, derivedFrom → QuestionnaireResponse,
 *   effectiveDateTime = authored; PCL-5 adds `component`s for the clusters B–E (valueInteger) and the DSM-5
 *   provisional diagnosis (valueBoolean). The C-SSRS screeners have no total: their risk level (`kap-cssrs-risk`) goes
 *   in valueCodeableConcept, with a `kap-observation#cssrs-inconsistent` component (true) when the answers contradict
 *   each other. Scored by src/instruments; omitted (not an error) when the instrument refuses to score. Identifier
 *   value = the questionnaire result's id.
 * - PHQ-9 item 9 (`kap-phq9-item9`, docs/design/issue-13-contract.md): identifier `<qid>-item9`, category survey,
 *   LOINC 44260-8, valueCodeableConcept = the LA answer coding, derivedFrom → QuestionnaireResponse, so a receiver sees
 *   the self-harm item without opening the response. Made whenever item 9 is answered (even when the total is not
 *   scored); none when it is unanswered (src/safety raises `phq9-item9-unanswered`).
 */
import type { Observation } from '@medplum/fhirtypes';
import { getInstrument, PHQ9_ITEM9_CODE, phq9Item9Coding, scoreComponents } from '../instruments/index.js';
import type { QuestionnaireResult } from '../kap/questionnaire-result.js';
import { coding } from '../terminology/coding.js';
import { CATEGORY_SURVEY } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/** The identifier suffix of the PHQ-9 item 9 Observation (`<qid>-item9`, contract issue 13). */
export const PHQ9_ITEM9_SUFFIX = 'item9';

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
  const components = scoreComponents(q.instrument, result);
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
    ...(components.length > 0 ? { component: components } : {}),
  };
}

/**
 * The item-level Observations a receiver must see without opening the QuestionnaireResponse: the PHQ-9 item 9
 * Observation when item 9 is answered (empty otherwise, and for other instruments).
 * @param q - the questionnaire result
 * @param ctx - the mapping context
 */
export function toSafetyItemObservations(q: QuestionnaireResult, ctx: MapContext): Observation[] {
  const answer = q.instrument === 'phq9' ? phq9Item9Coding(q.answers) : undefined;
  if (!answer) {
    return [];
  }
  return [
    {
      resourceType: 'Observation',
      meta: metaProfile(PROFILES.phq9Item9),
      identifier: [ctx.identifier('Observation', `${q.id}-${PHQ9_ITEM9_SUFFIX}`)],
      status: 'final',
      category: [{ coding: [coding(CATEGORY_SURVEY)] }],
      code: { coding: [{ ...PHQ9_ITEM9_CODE }] },
      subject: ctx.patient,
      ...(q.sessionId !== undefined ? { encounter: ctx.ref('Encounter', q.sessionId) } : {}),
      effectiveDateTime: q.authored,
      valueCodeableConcept: { coding: [answer] },
      derivedFrom: [ctx.ref('QuestionnaireResponse', q.id)],
    },
  ];
}
