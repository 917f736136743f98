/**
 * A questionnaire result → FHIR R4 QuestionnaireResponse (`kap-questionnaire-response`): questionnaire =
 * the instrument's canonical URL, status completed, subject, encounter when tied to a session, authored,
 * one item per answered item (instrument order) with `answer[0].valueCoding` = the answer option's coding
 * (LOINC LA codes where they exist, else the instrument's local code). Unanswered items are omitted.
 * Status `completed`, or `stopped` when a required item is unanswered (R4: required items must be present in a
 * completed response; src/instruments/response-status.ts): the response is still stored and sent, never scored.
 */
import type { QuestionnaireResponse, QuestionnaireResponseItem } from '@medplum/fhirtypes';
import { getInstrument, responseStatus } from '../instruments/index.js';
import type { QuestionnaireResult } from '../kap/questionnaire-result.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/**
 * The answered items of a result, in the instrument's item order.
 * @param q - the questionnaire result
 */
export function responseItems(q: QuestionnaireResult): QuestionnaireResponseItem[] {
  const items: QuestionnaireResponseItem[] = [];
  for (const item of getInstrument(q.instrument).items) {
    const score = q.answers[item.linkId];
    const option = score === undefined || score === null ? undefined : item.options.find((o) => o.score === score);
    if (option) {
      items.push({ linkId: item.linkId, answer: [{ valueCoding: { ...option.code } }] });
    }
  }
  return items;
}

/**
 * Maps a questionnaire result to a QuestionnaireResponse (R4: a single identifier).
 * @param q - the questionnaire result
 * @param ctx - the mapping context
 */
export function toQuestionnaireResponse(q: QuestionnaireResult, ctx: MapContext): QuestionnaireResponse {
  const items = responseItems(q);
  const instrument = getInstrument(q.instrument);
  return {
    resourceType: 'QuestionnaireResponse',
    meta: metaProfile(PROFILES.questionnaireResponse),
    identifier: ctx.identifier('QuestionnaireResponse', q.id),
    questionnaire: instrument.url,
    status: responseStatus(instrument, q.answers),
    subject: ctx.patient,
    ...(q.sessionId !== undefined ? { encounter: ctx.ref('Encounter', q.sessionId) } : {}),
    authored: q.authored,
    ...(items.length > 0 ? { item: items } : {}),
  };
}
