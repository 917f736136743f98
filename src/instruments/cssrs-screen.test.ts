import { describe, expect, test } from '@jest/globals';
import { KAP_CSSRS_RISK } from '../terminology/systems.js';
import { cssrsInconsistent, cssrsRiskLevel, cssrsScreen } from './cssrs-screen.js';
import { cssrsSinceLastVisit } from './cssrs-since-last-visit.js';

const NO = { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 0 };
const Q2_YES_ALL_NO = { 'cssrs-1': 1, 'cssrs-2': 1, 'cssrs-3': 0, 'cssrs-4': 0, 'cssrs-5': 0, 'cssrs-6': 0 };

describe('C-SSRS screener risk (Columbia triage points)', () => {
  test.each([
    ['all No', NO, 'none'],
    ['Q1 only', { ...NO, 'cssrs-1': 1 }, 'low'],
    ['Q1+Q2, Q3-Q5 No', Q2_YES_ALL_NO, 'low'],
    ['Q3 Yes', { ...Q2_YES_ALL_NO, 'cssrs-3': 1 }, 'moderate'],
    ['Q6 Yes, not in past 3 months', { ...NO, 'cssrs-6': 1, 'cssrs-6b': 0 }, 'moderate'],
    ['Q4 Yes', { ...Q2_YES_ALL_NO, 'cssrs-4': 1 }, 'high'],
    ['Q5 Yes', { ...Q2_YES_ALL_NO, 'cssrs-5': 1 }, 'high'],
    ['Q6 Yes within 3 months', { ...NO, 'cssrs-6': 1, 'cssrs-6b': 1 }, 'high'],
    ['all Yes', { ...Q2_YES_ALL_NO, 'cssrs-3': 1, 'cssrs-4': 1, 'cssrs-5': 1, 'cssrs-6': 1, 'cssrs-6b': 1 }, 'high'],
  ])('%s → %s', (_name, answers, risk) => {
    const r = cssrsScreen.score(answers);
    expect(r).toEqual({ ok: true, risk: expect.objectContaining({ system: KAP_CSSRS_RISK, code: risk }) });
    expect(r.ok && r.total).toBeFalsy();
  });

  test('items skipped by branching are not applicable, not missing', () => {
    expect(cssrsScreen.score({ ...NO, 'cssrs-3': null, 'cssrs-4': null, 'cssrs-5': null, 'cssrs-6b': null })).toMatchObject({
      ok: true,
      risk: { code: 'none' },
    });
  });

  // Issue 13: the risk follows the highest answer GIVEN, even where the branching would have skipped the item.
  test.each([
    ['Q2 No but Q4 Yes → high (was low)', { ...NO, 'cssrs-1': 1, 'cssrs-4': 1 }, 'high', true],
    ['Q2 No but Q5 Yes → high', { ...NO, 'cssrs-5': 1 }, 'high', true],
    ['Q2 No but Q3 Yes → moderate', { ...NO, 'cssrs-3': 1 }, 'moderate', true],
    ['Q6 No but 6b Yes → high (worst reading kept)', { ...NO, 'cssrs-6b': 1 }, 'high', true],
    ['near miss: Q2 No, Q3-Q5 answered No → none, consistent', { ...NO, 'cssrs-3': 0, 'cssrs-4': 0, 'cssrs-5': 0 }, 'none', false],
    ['near miss: Q2 Yes and Q4 Yes → high, consistent', { ...Q2_YES_ALL_NO, 'cssrs-4': 1 }, 'high', false],
    ['near miss: Q6 Yes and 6b No → moderate, consistent', { ...NO, 'cssrs-6': 1, 'cssrs-6b': 0 }, 'moderate', false],
  ])('%s', (_name, answers, risk, inconsistent) => {
    const r = cssrsScreen.score(answers);
    expect(r).toEqual({ ok: true, risk: expect.objectContaining({ code: risk }), ...(inconsistent ? { inconsistent: true } : {}) });
    expect(cssrsInconsistent(answers)).toBe(inconsistent);
    expect(cssrsRiskLevel(answers)).toBe(risk);
  });

  test('an unanswered Q2 is no contradiction (only an explicit No is); the Yes still counts', () => {
    expect(cssrsInconsistent({ 'cssrs-4': 1 })).toBe(false);
    expect(cssrsRiskLevel({ 'cssrs-4': 1 })).toBe('high');
  });

  test.each([
    ['Q1 unanswered', { 'cssrs-2': 0, 'cssrs-6': 0 }, ['cssrs-1']],
    ['Q6 unanswered', { 'cssrs-1': 0, 'cssrs-2': 0 }, ['cssrs-6']],
    ['Q2 Yes without Q4', { ...Q2_YES_ALL_NO, 'cssrs-4': null }, ['cssrs-4']],
    ['Q6 Yes without 6b', { ...NO, 'cssrs-6': 1 }, ['cssrs-6b']],
  ])('missing: %s', (_name, answers, missing) => {
    expect(cssrsScreen.score(answers)).toMatchObject({ ok: false, missing });
  });

  test('risk of incomplete answers takes the worst case (safety use)', () => {
    expect(cssrsRiskLevel({ 'cssrs-6': 1 })).toBe('high');
    expect(cssrsRiskLevel({ 'cssrs-2': 1, 'cssrs-3': 1 })).toBe('moderate');
    expect(cssrsRiskLevel({ 'cssrs-1': 1 })).toBe('low');
    expect(cssrsRiskLevel({})).toBe('none');
  });
});

describe('C-SSRS screener, since last visit (instruments.md §4: Q6 Yes → high, no 6b)', () => {
  test.each([
    ['all No', NO, 'none', false],
    ['Q1 only', { ...NO, 'cssrs-1': 1 }, 'low', false],
    ['Q3 Yes', { ...Q2_YES_ALL_NO, 'cssrs-3': 1 }, 'moderate', false],
    ['Q4 Yes', { ...Q2_YES_ALL_NO, 'cssrs-4': 1 }, 'high', false],
    ['fires: Q6 Yes → high (no 6b to ask)', { ...NO, 'cssrs-6': 1 }, 'high', false],
    ['near miss: Q6 No, Q1 Yes → low', { ...NO, 'cssrs-1': 1 }, 'low', false],
    ['Q2 No but Q4 Yes → high, flagged', { ...NO, 'cssrs-4': 1 }, 'high', true],
  ])('%s → %s', (_name, answers, risk, inconsistent) => {
    expect(cssrsSinceLastVisit.score(answers)).toEqual({
      ok: true,
      risk: expect.objectContaining({ system: KAP_CSSRS_RISK, code: risk }),
      ...(inconsistent ? { inconsistent: true } : {}),
    });
  });

  test.each([
    ['Q6 unanswered', { 'cssrs-1': 0, 'cssrs-2': 0 }, ['cssrs-6']],
    ['Q2 Yes without Q3', { ...Q2_YES_ALL_NO, 'cssrs-3': null }, ['cssrs-3']],
    ['6b is no item of this version', { ...NO, 'cssrs-6b': 0 }, ['cssrs-6b']],
  ])('refused: %s', (_name, answers, missing) => {
    expect(cssrsSinceLastVisit.score(answers)).toMatchObject({ ok: false, missing });
  });

  test('near miss of a refusal: Q6 Yes needs no 6b here (scored), while the recent version refuses without it', () => {
    expect(cssrsSinceLastVisit.score({ ...NO, 'cssrs-6': 1 })).toMatchObject({ ok: true });
    expect(cssrsScreen.score({ ...NO, 'cssrs-6': 1 })).toMatchObject({ ok: false, missing: ['cssrs-6b'] });
  });
});
