/**
 * A questionnaire result (docs/kap-model.md `questionnaires[]`): instrument, item answers (item scores
 * by linkId, `null` = unanswered), authored time, optionally the session it belongs to. An array of
 * scores in item order is accepted and normalised to the object form. Each answer must be one of the
 * scores of its item's answer options (src/instruments). Maps to QuestionnaireResponse (+ total-score
 * Observation).
 */
import { z } from 'zod';
import { getInstrument, INSTRUMENT_IDS, type InstrumentId } from '../instruments/index.js';
import { kapDateTimeSchema, kapIdSchema } from './primitives.js';

/** The instrument ids a questionnaire result may name (`src/instruments` INSTRUMENT_IDS). */
export const instrumentIdSchema = z.enum(INSTRUMENT_IDS as unknown as [InstrumentId, ...InstrumentId[]]);

const answerValue = z.number().nullable();

/** Answers in either input form. */
const answersInput = z.union([z.record(z.string(), answerValue), z.array(answerValue)]);

/** Item scores keyed by linkId (`null` = unanswered): the normalised form. */
export type Answers = Record<string, number | null>;

/** One questionnaire result; `answers` is always the object form without nulls after parsing. */
export const questionnaireResultSchema = z
  .strictObject({
    id: kapIdSchema,
    instrument: instrumentIdSchema,
    authored: kapDateTimeSchema,
    sessionId: kapIdSchema.optional(),
    answers: answersInput,
  })
  .superRefine((q, ctx) => {
    const items = getInstrument(q.instrument).items;
    if (Array.isArray(q.answers)) {
      if (q.answers.length > items.length) {
        ctx.addIssue({ code: 'custom', path: ['answers'], message: 'More answers than the instrument has items' });
      }
      q.answers.forEach((value, i) => {
        const item = items[i];
        if (item && value !== null && !item.options.some((o) => o.score === value)) {
          ctx.addIssue({ code: 'custom', path: ['answers', i], message: 'Answer is not one of the item scores' });
        }
      });
      return;
    }
    for (const [linkId, value] of Object.entries(q.answers)) {
      const item = items.find((it) => it.linkId === linkId);
      if (!item) {
        ctx.addIssue({ code: 'custom', path: ['answers', linkId], message: 'Unknown item for this instrument' });
      } else if (value !== null && !item.options.some((o) => o.score === value)) {
        ctx.addIssue({ code: 'custom', path: ['answers', linkId], message: 'Answer is not one of the item scores' });
      }
    }
  })
  .transform((q) => ({ ...q, answers: normaliseAnswers(q.instrument, q.answers) }));
/** One questionnaire result (normalised answers). */
export type QuestionnaireResult = z.infer<typeof questionnaireResultSchema>;

/**
 * Normalises answers to the object form, keys in the instrument's item order; unanswered (`null`)
 * items are dropped (the QuestionnaireResponse omits them too, so the round trip is exact).
 * @param instrument - the instrument id
 * @param answers - answers by linkId or in item order
 */
export function normaliseAnswers(instrument: InstrumentId, answers: Answers | (number | null)[]): Answers {
  const items = getInstrument(instrument).items;
  const out: Answers = {};
  for (const [i, item] of items.entries()) {
    const value = Array.isArray(answers) ? answers[i] : answers[item.linkId];
    if (value !== undefined && value !== null) {
      out[item.linkId] = value;
    }
  }
  return out;
}

/**
 * The Observation identifier values a questionnaire result yields besides its total (whose value is the result id):
 * PHQ-9 item 9 `<id>-item9`, change from baseline `<id>-change` for PHQ-9, GAD-7 and PCL-5 (contract issue 13;
 * src/fhir/instrument-score.ts, src/fhir/change-from-baseline.ts). Listed whether or not they are made, so an
 * episode's Observation identifiers stay unique whatever the answers.
 * @param q - the result's id and instrument
 */
export function derivedQuestionnaireObservationIds(q: { id: string; instrument: InstrumentId }): string[] {
  const item9 = q.instrument === 'phq9' ? [`${q.id}-item9`] : [];
  const change = q.instrument === 'phq9' || q.instrument === 'gad7' || q.instrument === 'pcl5' ? [`${q.id}-change`] : [];
  return [...item9, ...change];
}
