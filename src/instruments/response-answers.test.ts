import { describe, expect, test } from '@jest/globals';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { getInstrument } from './registry.js';
import { answersFromResponse, responseFromAnswers } from './response-answers.js';
import { scoreSubmission } from './score-response.js';

const phq9 = getInstrument('phq9');
const complete = (): QuestionnaireResponse =>
  responseFromAnswers(phq9, Object.fromEntries(phq9.items.map((i) => [i.linkId, 1])), { authored: '2026-03-02T09:30:00-05:00' });

describe('answersFromResponse: status', () => {
  test.each(['completed', 'amended'] as const)('%s → read', (status) => {
    expect(answersFromResponse({ ...complete(), status }).ok).toBe(true);
  });

  test.each(['in-progress', 'stopped', 'entered-in-error'] as const)('%s → refused naming QuestionnaireResponse.status', (status) => {
    const read = answersFromResponse({ ...complete(), status });
    expect(read.ok ? [] : read.issues.flatMap((i) => i.expression ?? [])).toEqual(['QuestionnaireResponse.status']);
    const scored = scoreSubmission({ ...complete(), status });
    expect(scored.ok ? [] : (scored.outcome.issue ?? []).flatMap((i) => i.expression ?? [])).toEqual(['QuestionnaireResponse.status']);
  });
});
