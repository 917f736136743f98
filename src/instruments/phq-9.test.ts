import { describe, expect, test } from '@jest/globals';
import { KAP_SEVERITY_BAND } from '../terminology/systems.js';
import { phq9 } from './phq-9.js';

/** Nine item scores summing to `total` (filled from item 1, max 3 each), difficulty unanswered. */
function answersWithTotal(total: number): Record<string, number | null> {
  const out: Record<string, number | null> = { 'phq9-difficulty': null };
  let left = total;
  for (let i = 1; i <= 9; i++) {
    const v = Math.min(3, left);
    out[`phq9-${i}`] = v;
    left -= v;
  }
  return out;
}

describe('PHQ-9 scoring (Kroenke et al. 2001 bands)', () => {
  test.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('total %i → %s', (total, band) => {
    const r = phq9.score(answersWithTotal(total));
    expect(r).toEqual({ ok: true, total, band: expect.objectContaining({ system: KAP_SEVERITY_BAND, code: band }) });
  });

  test('all zero and all max', () => {
    expect(phq9.score(answersWithTotal(0))).toMatchObject({ ok: true, total: 0 });
    const max = answersWithTotal(27);
    expect(Object.values(max).filter((v) => v === 3)).toHaveLength(9);
    expect(phq9.score({ ...max, 'phq9-difficulty': 3 })).toMatchObject({ ok: true, total: 27, band: { code: 'severe' } });
  });

  test('the difficulty item is not scored and not required', () => {
    const a = answersWithTotal(7);
    delete a['phq9-difficulty'];
    expect(phq9.score(a)).toMatchObject({ ok: true, total: 7 });
    expect(phq9.score({ ...a, 'phq9-difficulty': 2 })).toMatchObject({ ok: true, total: 7 });
  });

  test('a missing item refuses to score and names it (no proration)', () => {
    const a = answersWithTotal(12);
    a['phq9-4'] = null;
    delete a['phq9-7'];
    const r = phq9.score(a);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.missing).toEqual(['phq9-4', 'phq9-7']);
  });

  test('values that are no answer score, and unknown items, are refused', () => {
    expect(phq9.score({ ...answersWithTotal(3), 'phq9-2': 4 })).toMatchObject({ ok: false, missing: ['phq9-2'] });
    expect(phq9.score({ ...answersWithTotal(3), 'phq9-1': 1.5 })).toMatchObject({ ok: false, missing: ['phq9-1'] });
    expect(phq9.score({ ...answersWithTotal(3), 'phq9-10': 0 })).toMatchObject({ ok: false, missing: ['phq9-10'] });
  });
});
