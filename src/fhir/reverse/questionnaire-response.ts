/**
 * FHIR QuestionnaireResponse → a KAP questionnaire result (inverse of
 * src/fhir/questionnaire-response.ts): instrument from the canonical Questionnaire URL, authored,
 * session from encounter, item answers as scores (the answer option whose coding matches, or a
 * valueInteger that is one of the item's scores).
 */
import type { QuestionnaireResponse, QuestionnaireResponseItemAnswer } from '@medplum/fhirtypes';
import { getInstrument, INSTRUMENT_IDS, type InstrumentItem } from '../../instruments/index.js';
import type { Answers, QuestionnaireResult } from '../../kap/questionnaire-result.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { kapDateTime } from './times.js';

/** The questionnaire result and the Encounter it points to (resolved to a session by the caller). */
export type QuestionnaireDraft = Omit<QuestionnaireResult, 'sessionId'>;

function score(item: InstrumentItem, answer: QuestionnaireResponseItemAnswer | undefined): number | undefined {
  const c = answer?.valueCoding;
  if (c) {
    return item.options.find((o) => o.code.system === c.system && o.code.code === c.code)?.score;
  }
  const n = answer?.valueInteger;
  return n !== undefined && item.options.some((o) => o.score === n) ? n : undefined;
}

/**
 * Reads a questionnaire result (without its session).
 * @param entry - the QuestionnaireResponse entry
 * @param ctx - the context
 * @returns the result, or undefined (reported) for an unknown Questionnaire or no authored time
 */
export function fromQuestionnaireResponse(
  entry: IndexedEntry<QuestionnaireResponse>,
  ctx: UnmapContext
): QuestionnaireDraft | undefined {
  const qr = entry.resource;
  const url = qr.questionnaire?.split('|')[0];
  const instrument = INSTRUMENT_IDS.find((id) => getInstrument(id).url === url);
  const id = kapIdOf(entry, ctx);
  const authored = kapDateTime(qr.authored);
  if (instrument === undefined || id === undefined || authored === undefined) {
    if (instrument === undefined) {
      ignore(ctx, entry, 'questionnaire', 'unknown-code');
    } else {
      ignore(ctx, entry, id === undefined ? '' : 'authored', 'missing-element');
    }
    return undefined;
  }
  const items = getInstrument(instrument).items;
  const answers: Answers = {};
  (qr.item ?? []).forEach((it, i) => {
    const item = items.find((x) => x.linkId === it.linkId);
    const value = item ? score(item, it.answer?.[0]) : undefined;
    if (item === undefined || value === undefined || answers[item.linkId] !== undefined) {
      ignore(ctx, entry, `item[${i}]`, item === undefined ? 'unknown-code' : value === undefined ? 'invalid-value' : 'duplicate');
      return;
    }
    answers[item.linkId] = value;
  });
  // keys in the instrument's item order (as the schema normalises them)
  const ordered: Answers = {};
  for (const item of items) {
    if (answers[item.linkId] !== undefined) {
      ordered[item.linkId] = answers[item.linkId];
    }
  }
  ignoreUnknownExtensions(ctx, entry, qr.extension, '', []);
  ignoreUnreadElements(ctx, entry, ['questionnaire', 'status', 'subject', 'encounter', 'authored', 'item']);
  return { id, instrument, authored, answers: ordered };
}
