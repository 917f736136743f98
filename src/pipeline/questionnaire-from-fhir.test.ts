import { describe, expect, test } from '@jest/globals';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { getInstrument, scoreSubmission } from '../instruments/index.js';
import { kapQuestionnaire } from '../terminology/systems.js';
import { questionnaireResultFromFhir } from './questionnaire-from-fhir.js';

const phq9 = getInstrument('phq9');
const qr = (items: QuestionnaireResponse['item']): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  id: 'qr-1',
  questionnaire: `${kapQuestionnaire('phq9')}|1.0.0`,
  status: 'completed',
  authored: '2026-03-01T10:00:00-05:00',
  item: items,
});
const expressions = (r: ReturnType<typeof questionnaireResultFromFhir>): string[] =>
  r.ok ? [] : (r.outcome.issue ?? []).flatMap((i) => i.expression ?? []);
const allAnswered = (): QuestionnaireResponse['item'] =>
  phq9.items.map((it) => ({ linkId: it.linkId, answer: [{ valueCoding: it.options[1]?.code }] }));

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

  test('reads what the instruments module scores: items in a group, an extra unanswered item, no id', () => {
    const grouped = qr([{ linkId: 'group', item: allAnswered() }, { linkId: 'note' }]);
    delete grouped.id;
    const r = questionnaireResultFromFhir(grouped);
    const scored = scoreSubmission(grouped);
    expect(scored.ok).toBe(true);
    expect(r.ok).toBe(true);
    if (r.ok && scored.ok) {
      expect(r.value.answers).toEqual(scored.answers);
      expect(r.value.id).toMatch(/^qr-[0-9a-f]{32}$/);
      // the same response gets the same id (a re-post is a duplicate, not a second result)
      const again = questionnaireResultFromFhir(grouped);
      expect(again.ok ? again.value.id : undefined).toBe(r.value.id);
    }
  });

  test('refusals name the element, never the value', () => {
    const unknownItem = questionnaireResultFromFhir(qr([{ linkId: 'nope', answer: [{ valueInteger: 1 }] }]));
    expect(expressions(unknownItem)).toEqual(["QuestionnaireResponse.item.where(linkId='nope')"]);
    const badAnswer = questionnaireResultFromFhir(qr([{ linkId: phq9.items[0]?.linkId as string, answer: [{ valueInteger: 77 }] }]));
    expect(expressions(badAnswer)).toEqual([`QuestionnaireResponse.item.where(linkId='${phq9.items[0]?.linkId}')`]);
    expect(JSON.stringify(badAnswer)).not.toContain('77');
    const other = questionnaireResultFromFhir({ ...qr([]), questionnaire: 'http://example.org/Questionnaire/x' });
    expect(expressions(other)).toEqual(['QuestionnaireResponse.questionnaire']);
    const draft = questionnaireResultFromFhir({ ...qr(allAnswered()), status: 'in-progress' });
    expect(expressions(draft)).toEqual(['QuestionnaireResponse.status']);
    const badId = questionnaireResultFromFhir({ ...qr([]), id: 'has space' });
    expect(expressions(badId)).toEqual(['QuestionnaireResponse.id']);
  });

  test('junk JSON types are refused naming the element', () => {
    const base = qr([]) as unknown as Record<string, unknown>;
    const cases: [unknown, string][] = [
      [{ ...base, questionnaire: 5 }, 'QuestionnaireResponse.questionnaire'],
      [{ ...base, status: 5 }, 'QuestionnaireResponse.status'],
      [{ ...base, authored: [] }, 'QuestionnaireResponse.authored'],
      [{ ...base, id: 7 }, 'QuestionnaireResponse.id'],
      [{ ...base, identifier: 'x' }, 'QuestionnaireResponse.identifier'],
      [{ ...base, item: { linkId: 'phq9-1' } }, 'QuestionnaireResponse.item'],
      [{ ...base, item: [null] }, 'QuestionnaireResponse.item[0]'],
      [{ ...base, item: [{ answer: [] }] }, 'QuestionnaireResponse.item[0].linkId'],
      [{ ...base, item: [{ linkId: 'phq9-1', answer: {} }] }, 'QuestionnaireResponse.item[0].answer'],
      [{ ...base, item: [{ linkId: 'phq9-1', answer: [null] }] }, 'QuestionnaireResponse.item[0].answer[0]'],
      [{ ...base, item: [{ linkId: 'phq9-1', answer: [{ valueCoding: 'x' }] }] }, 'QuestionnaireResponse.item[0].answer[0].valueCoding'],
      [{ ...base, item: [{ linkId: 'phq9-1', answer: [{ valueCoding: { code: 1 } }] }] }, 'QuestionnaireResponse.item[0].answer[0].valueCoding.code'],
      [{ ...base, item: [{ linkId: 'phq9-1', answer: [{ valueInteger: '1' }] }] }, 'QuestionnaireResponse.item[0].answer[0].valueInteger'],
      [{ ...base, item: [{ linkId: 'g', item: 'x' }] }, 'QuestionnaireResponse.item[0].item'],
      [{ ...base, questionnaire: undefined }, 'QuestionnaireResponse.questionnaire'],
      [{ ...base, status: undefined }, 'QuestionnaireResponse.status'],
    ];
    for (const [body, expression] of cases) {
      expect(expressions(questionnaireResultFromFhir(body))).toEqual([expression]);
    }
  });
});
