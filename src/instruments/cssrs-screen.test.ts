import { describe, expect, test } from '@jest/globals';
import { KAP_CSSRS_RISK } from '../terminology/systems.js';
import { cssrsRiskLevel, cssrsScreen } from './cssrs-screen.js';

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
    // answers to a not-applicable item do not raise the risk
    expect(cssrsScreen.score({ ...NO, 'cssrs-4': 1 })).toMatchObject({ ok: true, risk: { code: 'none' } });
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
