import { describe, expect, test } from '@jest/globals';
import { gad7 } from './gad-7.js';

function answersWithTotal(total: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  let left = total;
  for (let i = 1; i <= 7; i++) {
    const v = Math.min(3, left);
    out[`gad7-${i}`] = v;
    left -= v;
  }
  return out;
}

describe('GAD-7 scoring (Spitzer et al. 2006 bands)', () => {
  test.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('total %i → %s', (total, band) => {
    expect(gad7.score(answersWithTotal(total))).toMatchObject({ ok: true, total, band: { code: band } });
  });

  test('all zero and all max', () => {
    expect(gad7.score(answersWithTotal(0))).toMatchObject({ ok: true, total: 0, band: { code: 'minimal' } });
    expect(Object.values(answersWithTotal(21)).every((v) => v === 3)).toBe(true);
    expect(gad7.score(answersWithTotal(21))).toMatchObject({ ok: true, total: 21, band: { code: 'severe' } });
  });

  test('a missing item refuses to score', () => {
    const a = answersWithTotal(8);
    a['gad7-7'] = null;
    expect(gad7.score(a)).toEqual({ ok: false, missing: ['gad7-7'], reason: expect.any(String) });
  });
});
