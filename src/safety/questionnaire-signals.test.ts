import { describe, expect, test } from '@jest/globals';
import type { Bundle, QuestionnaireResponse } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import { baseEpisode, idsOf, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import { DEFAULT_SAFETY_CONFIG } from './config.js';
import { detectSignals } from './detect-signals.js';
import { cssrsInconsistentSignals, cssrsSignals, phq9Item9UnansweredSignals } from './questionnaire-signals.js';

/** The questionnaire signals of an episode, as `rule severity trigger-ids…`. */
function questionnaireSignals(ep: EpisodeJson): string[] {
  const bundle = mapped(ep);
  return detectSignals(bundle)
    .filter((s) => s.rule.startsWith('phq9') || s.rule.startsWith('cssrs'))
    .map((s) => [s.rule, s.severity, ...idsOf(bundle, s.resources)].join(' '));
}

/** The base episode with the PHQ-9 answers and the C-SSRS result replaced. */
function episode(phq9: (number | null)[], cssrs?: { instrument: string; answers: Record<string, number | null> }): EpisodeJson {
  const ep = baseEpisode();
  ep.questionnaires[0].answers = phq9;
  if (cssrs) {
    Object.assign(ep.questionnaires[1], cssrs);
  }
  return ep;
}

const PHQ9_CLEAN = [3, 3, 2, 2, 2, 2, 2, 2, 0];

describe('phq9-item9-unanswered (attention)', () => {
  test.each([
    ['fires: item 9 left blank → phq9-item9-unanswered', [3, 3, 2, 2, 2, 2, 2, 2, null], ['phq9-item9-unanswered attention QuestionnaireResponse/qr-phq']],
    ['fires: items 1–8 answered, item 9 absent (short array)', [3, 3, 2, 2, 2, 2, 2, 2], ['phq9-item9-unanswered attention QuestionnaireResponse/qr-phq']],
    ['near miss: item 9 answered 0, another item blank (phq9-item9-unanswered)', [3, null, 2, 2, 2, 2, 2, 2, 0], []],
    ['near miss: all answered (phq9-item9-unanswered)', PHQ9_CLEAN, []],
    ['item 9 answered 1: the positive rule, not this one', [3, 3, 2, 2, 2, 2, 2, 2, 1], ['phq9-item9-positive urgent QuestionnaireResponse/qr-phq']],
  ])('%s', (_name, answers, expected) => {
    expect(questionnaireSignals(episode(answers))).toEqual(expected);
  });

  test('reads the QuestionnaireResponse: a response kept as stopped is read, one entered in error is not', () => {
    const bundle = mapped(episode([3, 3, 2, 2, 2, 2, 2, 2, null]));
    const qr = (bundle.entry ?? []).find((e) => e.resource?.resourceType === 'QuestionnaireResponse' && (e.resource as QuestionnaireResponse).questionnaire?.endsWith('/phq9'));
    expect((qr?.resource as QuestionnaireResponse).status).toBe('stopped');
    expect(phq9Item9UnansweredSignals(new BundleIndex(bundle))).toHaveLength(1);
    (qr?.resource as QuestionnaireResponse).status = 'entered-in-error';
    expect(phq9Item9UnansweredSignals(new BundleIndex(bundle))).toEqual([]);
  });
});

describe('C-SSRS: risk follows the highest answer given; cssrs-inconsistent (attention)', () => {
  const NO = { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 0 };
  test.each([
    [
      'fires: Q2 No, Q4 Yes → cssrs-high (was low) and cssrs-inconsistent',
      'cssrs-screen',
      { ...NO, 'cssrs-1': 1, 'cssrs-4': 1 },
      ['cssrs-high urgent QuestionnaireResponse/qr-cssrs', 'cssrs-inconsistent attention QuestionnaireResponse/qr-cssrs'],
    ],
    [
      'fires: Q6 No, 6b Yes → high and inconsistent',
      'cssrs-screen',
      { ...NO, 'cssrs-6b': 1 },
      ['cssrs-high urgent QuestionnaireResponse/qr-cssrs', 'cssrs-inconsistent attention QuestionnaireResponse/qr-cssrs'],
    ],
    [
      'near miss: Q2 Yes, Q4 Yes → high, consistent (cssrs-inconsistent)',
      'cssrs-screen',
      { 'cssrs-1': 1, 'cssrs-2': 1, 'cssrs-3': 0, 'cssrs-4': 1, 'cssrs-5': 0, 'cssrs-6': 0 },
      ['cssrs-high urgent QuestionnaireResponse/qr-cssrs'],
    ],
    ['near miss: Q1 No, Q2 No, Q3-Q5 No → nothing (cssrs-low, cssrs-inconsistent)', 'cssrs-screen', { ...NO, 'cssrs-3': 0, 'cssrs-4': 0, 'cssrs-5': 0 }, []],
    [
      'since last visit, fires: Q6 Yes → high',
      'cssrs-since-last-visit',
      { ...NO, 'cssrs-6': 1 },
      ['cssrs-high urgent QuestionnaireResponse/qr-cssrs'],
    ],
    ['since last visit, near miss: all No → nothing', 'cssrs-since-last-visit', NO, []],
    [
      'since last visit, fires: Q2 No, Q3 Yes → moderate and inconsistent',
      'cssrs-since-last-visit',
      { ...NO, 'cssrs-3': 1 },
      ['cssrs-moderate attention QuestionnaireResponse/qr-cssrs', 'cssrs-inconsistent attention QuestionnaireResponse/qr-cssrs'],
    ],
  ])('%s', (_name, instrument, answers, expected) => {
    expect(questionnaireSignals(episode(PHQ9_CLEAN, { instrument, answers }))).toEqual(expected);
  });

  test('the rule functions read both versions', () => {
    const b: Bundle = mapped(episode(PHQ9_CLEAN, { instrument: 'cssrs-since-last-visit', answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-4': 1, 'cssrs-6': 0 } }));
    const index = new BundleIndex(b);
    expect(cssrsSignals(index, DEFAULT_SAFETY_CONFIG).map((s) => s.rule)).toEqual(['cssrs-high']);
    expect(cssrsInconsistentSignals(index).map((s) => s.rule)).toEqual(['cssrs-inconsistent']);
  });
});
