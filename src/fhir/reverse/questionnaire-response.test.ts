import { describe, expect, test } from '@jest/globals';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { getInstrument } from '../../instruments/index.js';
import { BundleIndex, type IndexedEntry } from '../../bundle-index.js';
import type { UnmapContext } from './context.js';
import { IgnoredList } from './ignored.js';
import { fromQuestionnaireResponse } from './questionnaire-response.js';

const SYSTEM = 'https://kap-fhir.org/fhir/clinic/c1';

function read(qr: QuestionnaireResponse): { result: ReturnType<typeof fromQuestionnaireResponse>; ctx: UnmapContext } {
  const index = new BundleIndex({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: qr }] });
  const ctx: UnmapContext = { index, clinicSystem: SYSTEM, ignored: new IgnoredList(), used: new Set() };
  return { result: fromQuestionnaireResponse(index.entries[0] as IndexedEntry<QuestionnaireResponse>, ctx), ctx };
}

describe('fromQuestionnaireResponse', () => {
  const phq9 = getInstrument('phq9');
  const option = (linkId: string, score: number) =>
    phq9.items.find((i) => i.linkId === linkId)?.options.find((o) => o.score === score)?.code;

  test('reads answer codings and integer scores, in item order; reports unknown items and bad answers', () => {
    const { result, ctx } = read({
      resourceType: 'QuestionnaireResponse',
      identifier: { system: SYSTEM, value: 'ep-1/q-1' },
      questionnaire: `${phq9.url}|1.0.0`,
      status: 'completed',
      authored: '2026-04-06T09:20:00-04:00',
      item: [
        { linkId: 'phq9-9', answer: [{ valueCoding: option('phq9-9', 0) }] },
        { linkId: 'phq9-1', answer: [{ valueInteger: 2 }] },
        { linkId: 'phq9-2', answer: [{ valueInteger: 7 }] },
        { linkId: 'not-an-item', answer: [{ valueInteger: 1 }] },
      ],
    });
    expect(result).toEqual({ id: 'q-1', instrument: 'phq9', authored: '2026-04-06T09:20:00-04:00', answers: { 'phq9-1': 2, 'phq9-9': 0 } });
    expect(Object.keys(result?.answers ?? {})).toEqual(['phq9-1', 'phq9-9']);
    expect(ctx.ignored.items).toEqual([
      { resourceType: 'QuestionnaireResponse', location: 'Bundle.entry[0].resource.item[2]', reason: 'invalid-value' },
      { resourceType: 'QuestionnaireResponse', location: 'Bundle.entry[0].resource.item[3]', reason: 'unknown-code' },
    ]);
  });

  test('an unknown Questionnaire is left out as unknown-code', () => {
    const { result, ctx } = read({
      resourceType: 'QuestionnaireResponse',
      id: 'qr-9',
      questionnaire: 'http://example.org/Questionnaire/beck',
      status: 'completed',
      authored: '2026-04-06T09:20:00-04:00',
    });
    expect(result).toBeUndefined();
    expect(ctx.ignored.items).toEqual([
      { resourceType: 'QuestionnaireResponse', location: 'Bundle.entry[0].resource.questionnaire', reason: 'unknown-code' },
    ]);
  });
});
