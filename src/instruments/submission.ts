/**
 * The KAP instrument submission `{instrument, answers, authored, sessionId?}` (issue 5 §2; docs/kap-model.md
 * `questionnaires[]` without the episode context): zod schema and inferred type. `answers` is either an array of
 * item scores in item order or an object keyed by linkId (`null` = unanswered); both parse to the object form.
 * Answer *values* are checked by the instrument's scoring (refusal naming linkIds), not here.
 */
import { z } from 'zod';
import { FHIR_ID } from '../fhir-id.js';
import { getInstrument, INSTRUMENT_IDS } from './registry.js';
import type { InstrumentId } from './types.js';

const idSchema = z.string().regex(FHIR_ID);
const answerValue = z.number().nullable();

/** A KAP instrument submission; `answers` is always the object form after parsing. */
export const instrumentSubmissionSchema = z
  .strictObject({
    id: idSchema.optional(),
    instrument: z.enum(INSTRUMENT_IDS as unknown as [InstrumentId, ...InstrumentId[]]),
    authored: z.iso.datetime({ offset: true }),
    sessionId: idSchema.optional(),
    answers: z.union([z.array(answerValue), z.record(z.string(), answerValue)]),
  })
  .superRefine((s, ctx) => {
    if (Array.isArray(s.answers) && s.answers.length > getInstrument(s.instrument).items.length) {
      ctx.addIssue({ code: 'custom', path: ['answers'], message: 'More answers than the instrument has items' });
    }
  })
  .transform((s) => ({ ...s, answers: answersByLinkId(s.instrument, s.answers) }));

/** A parsed KAP instrument submission. */
export type InstrumentSubmission = z.infer<typeof instrumentSubmissionSchema>;

/**
 * Normalises answers to the object form keyed by linkId, in item order. Array entries map to the items in order;
 * keys that are no item are kept (the scoring refuses them by name).
 * @param instrument - instrument id
 * @param answers - array in item order, or object by linkId
 */
export function answersByLinkId(
  instrument: InstrumentId,
  answers: (number | null)[] | Record<string, number | null>
): Record<string, number | null> {
  const items = getInstrument(instrument).items;
  const out: Record<string, number | null> = {};
  if (Array.isArray(answers)) {
    items.forEach((item, i) => {
      if (i < answers.length) {
        out[item.linkId] = answers[i];
      }
    });
    return out;
  }
  for (const item of items) {
    if (item.linkId in answers) {
      out[item.linkId] = answers[item.linkId];
    }
  }
  for (const key of Object.keys(answers)) {
    if (!(key in out)) {
      out[key] = answers[key];
    }
  }
  return out;
}
