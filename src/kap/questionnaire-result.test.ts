import { describe, expect, test } from '@jest/globals';
import { fixtureEpisode } from '../fhir/__test__/fixture-episode.js';
import type { InstrumentId } from '../instruments/index.js';
import { parseEpisode } from './episode.js';
import { derivedQuestionnaireObservationIds, questionnaireResultSchema } from './questionnaire-result.js';

describe('questionnaire results', () => {
  test.each<[InstrumentId, string[]]>([
    ['phq9', ['q-item9', 'q-change']],
    ['gad7', ['q-change']],
    ['pcl5', ['q-change']],
    ['cssrs-screen', []],
    ['cssrs-since-last-visit', []],
    ['cadss6', []],
  ])('%s derives the Observation ids %j', (instrument, ids) => {
    expect(derivedQuestionnaireObservationIds({ id: 'q', instrument })).toEqual(ids);
  });

  test.each([
    ['fires: a vital named like a PHQ-9 item 9 Observation', 'qr-1-item9', false],
    ['fires: a vital named like a change Observation', 'qr-1-change', false],
    ['near miss: another suffix', 'qr-1-other', true],
  ])('Observation identifiers stay unique — %s', (_name, vitalId, ok) => {
    const ep = fixtureEpisode();
    const dosing = ep.sessions?.find((s) => s.kind === 'dosing') as { vitals: { id: string }[] };
    dosing.vitals[0].id = vitalId;
    const parsed = parseEpisode(ep);
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) {
      expect(parsed.outcome.issue?.some((i) => /Duplicate observation/.test(i.details?.text ?? ''))).toBe(true);
    }
  });

  test('the since-last-visit instrument id is accepted, with its own items (no 6b)', () => {
    const base = { id: 'q', authored: '2026-03-02T09:30:00-05:00', instrument: 'cssrs-since-last-visit' };
    expect(questionnaireResultSchema.safeParse({ ...base, answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 1 } }).success).toBe(true);
    expect(questionnaireResultSchema.safeParse({ ...base, answers: { 'cssrs-1': 0, 'cssrs-6b': 1 } }).success).toBe(false);
  });
});
