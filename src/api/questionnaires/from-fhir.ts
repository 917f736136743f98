/**
 * A FHIR QuestionnaireResponse of a KAP instrument → the KAP questionnaire result
 * (`{ id, instrument, authored, sessionId?, answers }`): the instrument is found by the
 * `questionnaire` canonical, each answer's coding (or integer) becomes the item score.
 * Refusals name the element (`QuestionnaireResponse.item[2].answer[0]`), never its value.
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { getInstrument, INSTRUMENT_IDS } from '../../instruments/index.js';
import type { InstrumentId } from '../../instruments/index.js';
import { issue, outcome } from '../../outcomes.js';
import { kapQuestionnaire } from '../../terminology/systems.js';
import type { Parsed } from '../ports.js';

const KAP_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Converts a QuestionnaireResponse.
 * @param qr - the resource as received
 * @param sessionId - the KAP session it belongs to (optional)
 */
export function questionnaireResultFromFhir(
  qr: QuestionnaireResponse,
  sessionId?: string
): Parsed<Record<string, unknown>> {
  const fail = (code: 'required' | 'invalid' | 'code-invalid', text: string, expression: string): Parsed<never> => ({
    ok: false,
    outcome: outcome([issue('error', code, text, expression)]),
  });
  const canonical = qr.questionnaire?.split('|')[0];
  const instrument = INSTRUMENT_IDS.find((id) => kapQuestionnaire(id) === canonical) as InstrumentId | undefined;
  if (!qr.questionnaire) {
    return fail('required', 'Missing required field', 'QuestionnaireResponse.questionnaire');
  }
  if (!instrument) {
    return fail('code-invalid', 'Not a KAP instrument Questionnaire', 'QuestionnaireResponse.questionnaire');
  }
  const id = qr.id ?? qr.identifier?.value;
  if (!id || !KAP_ID.test(id)) {
    return fail('required', 'Needs an id (or identifier.value) matching [A-Za-z0-9-.]{1,64}', 'QuestionnaireResponse.id');
  }
  if (!qr.authored) {
    return fail('required', 'Missing required field', 'QuestionnaireResponse.authored');
  }
  if (qr.status !== 'completed' && qr.status !== 'amended') {
    return fail('invalid', 'Only completed or amended responses are accepted', 'QuestionnaireResponse.status');
  }
  const items = getInstrument(instrument).items;
  const answers: Record<string, number | null> = {};
  for (const [i, item] of (qr.item ?? []).entries()) {
    const def = items.find((x) => x.linkId === item.linkId);
    if (!def) {
      return fail('invalid', 'Unknown item for this instrument', `QuestionnaireResponse.item[${i}].linkId`);
    }
    const answer = item.answer?.[0];
    if (!answer) {
      answers[def.linkId] = null;
      continue;
    }
    let score: number | undefined;
    if (answer.valueCoding) {
      score = def.options.find(
        (o) => o.code.code === answer.valueCoding?.code && (!answer.valueCoding?.system || o.code.system === answer.valueCoding.system)
      )?.score;
    } else if (typeof answer.valueInteger === 'number') {
      score = def.options.some((o) => o.score === answer.valueInteger) ? answer.valueInteger : undefined;
    }
    if (score === undefined) {
      return fail('code-invalid', 'Answer is not one of the item options', `QuestionnaireResponse.item[${i}].answer[0]`);
    }
    answers[def.linkId] = score;
  }
  return {
    ok: true,
    value: { id, instrument, authored: qr.authored, ...(sessionId ? { sessionId } : {}), answers },
  };
}
