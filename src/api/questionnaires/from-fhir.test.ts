import { describe, expect, test } from '@jest/globals';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { getInstrument } from '../../instruments/index.js';
import { kapQuestionnaire } from '../../terminology/systems.js';
import { questionnaireResultFromFhir } from './from-fhir.js';

const phq9 = getInstrument('phq9');
const qr = (items: QuestionnaireResponse['item']): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  id: 'qr-1',
  questionnaire: `${kapQuestionnaire('phq9')}|1.0.0`,
  status: 'completed',
  authored: '2026-03-01T10:00:00-05:00',
  item: items,
});

describe('questionnaireResultFromFhir', () => {
  test('codings and integers become item scores; unanswered items are null', () => {
    const first = phq9.items[0];
    const second = phq9.items[1];
    const option = first?.options.find((o) => o.score === 2);
    const r = questionnaireResultFromFhir(
      qr([
        { linkId: first?.linkId as string, answer: [{ valueCoding: option?.code }] },
        { linkId: second?.linkId as string, answer: [{ valueInteger: 1 }] },
        { linkId: phq9.items[2]?.linkId as string },
      ]),
      's-01'
    );
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'qr-1',
        instrument: 'phq9',
        authored: '2026-03-01T10:00:00-05:00',
        sessionId: 's-01',
        answers: { [first?.linkId as string]: 2, [second?.linkId as string]: 1, [phq9.items[2]?.linkId as string]: null },
      },
    });
  });

  test('refusals name the element, never the value', () => {
    const unknownItem = questionnaireResultFromFhir(qr([{ linkId: 'nope', answer: [{ valueInteger: 1 }] }]));
    expect(unknownItem.ok ? [] : unknownItem.outcome.issue?.[0]?.expression).toEqual(['QuestionnaireResponse.item[0].linkId']);
    const badAnswer = questionnaireResultFromFhir(qr([{ linkId: phq9.items[0]?.linkId as string, answer: [{ valueInteger: 77 }] }]));
    expect(badAnswer.ok ? [] : badAnswer.outcome.issue?.[0]?.expression).toEqual(['QuestionnaireResponse.item[0].answer[0]']);
    expect(JSON.stringify(badAnswer)).not.toContain('77');
    const other = questionnaireResultFromFhir({ ...qr([]), questionnaire: 'http://example.org/Questionnaire/x' });
    expect(other.ok ? [] : other.outcome.issue?.[0]?.expression).toEqual(['QuestionnaireResponse.questionnaire']);
    const draft = questionnaireResultFromFhir({ ...qr([]), status: 'in-progress' });
    expect(draft.ok).toBe(false);
  });
});
