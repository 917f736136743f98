import { describe, expect, test } from '@jest/globals';
import { createPcl5, pcl5, pcl5MeetsDsm5Rule } from './pcl-5.js';

function answersWithTotal(total: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  let left = total;
  for (let i = 1; i <= 20; i++) {
    const v = Math.min(4, left);
    out[`pcl5-${i}`] = v;
    left -= v;
  }
  return out;
}

function byItem(scores: Record<number, number>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (let i = 1; i <= 20; i++) {
    out[`pcl5-${i}`] = scores[i] ?? 0;
  }
  return out;
}

describe('PCL-5 scoring (NCPTSD; clusters B-E)', () => {
  test.each([
    [32, 'below-cutoff'],
    [33, 'at-or-above-cutoff'],
  ])('default cut-off 33: total %i → %s', (total, band) => {
    expect(pcl5.score(answersWithTotal(total))).toMatchObject({ ok: true, total, band: { code: band } });
  });

  test('the cut-off is configurable (31)', () => {
    const p = createPcl5({ cutoff: 31 });
    expect(p.score(answersWithTotal(30))).toMatchObject({ band: { code: 'below-cutoff' } });
    expect(p.score(answersWithTotal(31))).toMatchObject({ band: { code: 'at-or-above-cutoff' } });
  });

  test('all zero and all max, with cluster subscales', () => {
    expect(pcl5.score(answersWithTotal(0))).toEqual({
      ok: true,
      total: 0,
      subscales: { B: 0, C: 0, D: 0, E: 0 },
      band: expect.objectContaining({ code: 'below-cutoff' }),
      provisionalDiagnosis: false,
    });
    expect(pcl5.score(answersWithTotal(80))).toMatchObject({
      ok: true,
      total: 80,
      subscales: { B: 20, C: 8, D: 28, E: 24 },
      band: { code: 'at-or-above-cutoff' },
      provisionalDiagnosis: true,
    });
  });

  // The DSM-5 provisional diagnosis is emitted with the score (issue 13), independent of the total cut-off.
  test.each([
    ['fires: 1 B, 1 C, 2 D, 2 E rated ≥ 2 (total 12, below the cut-off)', { 1: 2, 6: 2, 8: 2, 9: 2, 15: 2, 16: 2 }, true],
    ['near miss: the second E item rated 1', { 1: 2, 6: 2, 8: 2, 9: 2, 15: 2, 16: 1 }, false],
    ['near miss: total 40 at the cut-off, but no C item rated ≥ 2', { 1: 4, 2: 4, 3: 4, 6: 1, 7: 1, 8: 4, 9: 4, 15: 4, 16: 4, 17: 4, 18: 4, 19: 2 }, false],
  ])('score carries provisionalDiagnosis — %s', (_name, items, expected) => {
    const r = pcl5.score(byItem(items));
    expect(r).toMatchObject({ ok: true, provisionalDiagnosis: expected });
    expect(r.ok && r.provisionalDiagnosis).toBe(pcl5MeetsDsm5Rule(byItem(items)));
  });

  test('clusters sum the right items', () => {
    const r = pcl5.score(byItem({ 5: 1, 6: 2, 7: 1, 8: 3, 14: 4, 15: 2, 20: 1 }));
    expect(r).toMatchObject({ ok: true, total: 14, subscales: { B: 1, C: 3, D: 7, E: 3 } });
  });

  test('DSM-5 rule: 1 B, 1 C, 2 D, 2 E items rated ≥ 2', () => {
    const meets = { 1: 2, 6: 2, 8: 2, 9: 2, 15: 2, 16: 2 };
    expect(pcl5MeetsDsm5Rule(byItem(meets))).toBe(true);
    // each near miss: one cluster short, or a rating of 1 instead of 2
    expect(pcl5MeetsDsm5Rule(byItem({ ...meets, 1: 1 }))).toBe(false);
    expect(pcl5MeetsDsm5Rule(byItem({ ...meets, 6: 1 }))).toBe(false);
    expect(pcl5MeetsDsm5Rule(byItem({ ...meets, 9: 1 }))).toBe(false);
    expect(pcl5MeetsDsm5Rule(byItem({ ...meets, 16: 1 }))).toBe(false);
    const missing = byItem(meets);
    missing['pcl5-3'] = null;
    expect(pcl5MeetsDsm5Rule(missing)).toBeUndefined();
  });

  test('a missing item refuses to score', () => {
    const a = answersWithTotal(40);
    a['pcl5-12'] = null;
    expect(pcl5.score(a)).toMatchObject({ ok: false, missing: ['pcl5-12'] });
  });
});
