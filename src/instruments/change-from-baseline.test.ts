import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mapEpisode } from '../fhir/map-episode.js';
import { parseEpisode } from '../kap/episode.js';
import { baselineOf, changeFromBaseline, changesAfterBaseline, episodeChangeFromBaseline } from './change-from-baseline.js';

function exampleBundle(name: string) {
  const parsed = parseEpisode(JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error('example invalid');
  return mapEpisode(parsed.episode);
}

const P = (total: number, day: number, assessment?: boolean) => ({
  total,
  effective: `2026-03-${String(day).padStart(2, '0')}T09:00:00-05:00`,
  ...(assessment ? { assessment } : {}),
});

describe('change from baseline', () => {
  test('PHQ-9 21 → 13 → 9 → 4: 81 % change, response, remission (< 5)', () => {
    const r = changeFromBaseline('phq9', [P(13, 10), P(21, 1, true), P(4, 30), P(9, 20)], '2026-03-05T09:00:00-05:00');
    expect(r).toMatchObject({ baseline: { total: 21 }, current: { total: 4 }, change: 17, percentChange: 81, response: true, remission: true });
  });

  test('response at exactly 50 %, not at 49 %; remission at 4 but not 5', () => {
    expect(changeFromBaseline('phq9', [P(20, 1, true), P(10, 9)])).toMatchObject({ response: true, remission: false });
    expect(changeFromBaseline('phq9', [P(20, 1, true), P(11, 9)])).toMatchObject({ response: false });
    expect(changeFromBaseline('gad7', [P(14, 1, true), P(5, 9)])).toMatchObject({ remission: false });
    expect(changeFromBaseline('gad7', [P(14, 1, true), P(4, 9)])).toMatchObject({ remission: true, response: true });
  });

  test('without an assessment score, baseline = earliest before the first dose', () => {
    const r = changeFromBaseline('gad7', [P(8, 12), P(14, 3)], '2026-03-05T09:00:00-05:00');
    expect(r.baseline?.total).toBe(14);
    const none = changeFromBaseline('gad7', [P(8, 12), P(14, 9)], '2026-03-05T09:00:00-05:00');
    expect(none).toEqual({ instrument: 'gad7' });
  });

  test('baseline 0: no percent change and no response', () => {
    const r = changeFromBaseline('phq9', [P(0, 1, true), P(3, 9)]);
    expect(r.percentChange).toBeUndefined();
    expect(r.response).toBeUndefined();
    expect(r.change).toBe(-3);
  });

  test('PCL-5 meaningful improvement ≥ 10 points; no remission definition', () => {
    const r = changeFromBaseline('pcl5', [P(53, 1, true), P(43, 9)]);
    expect(r).toMatchObject({ meaningfulImprovement: true });
    expect(r.remission).toBeUndefined();
    expect(changeFromBaseline('pcl5', [P(53, 1, true), P(44, 9)])).toMatchObject({ meaningfulImprovement: false });
    expect(changeFromBaseline('pcl5', [P(53, 1, true), P(44, 9)], undefined, { meaningfulImprovementPoints: 8 })).toMatchObject({
      meaningfulImprovement: true,
    });
  });

  test('only a baseline: no change', () => {
    expect(changeFromBaseline('phq9', [P(12, 1, true)])).toEqual({ instrument: 'phq9', baseline: P(12, 1, true) });
  });
});

describe('episode summary from a mapped Bundle (examples/)', () => {
  test('IV ketamine TRD: PHQ-9 21 → 4, response and remission', () => {
    expect(episodeChangeFromBaseline(exampleBundle('iv-ketamine-trd'))).toEqual([
      expect.objectContaining({
        instrument: 'phq9',
        baseline: expect.objectContaining({ total: 21, assessment: true }),
        current: expect.objectContaining({ total: 4 }),
        percentChange: 81,
        response: true,
        remission: true,
      }),
    ]);
  });

  test('sublingual PTSD: PCL-5 53 → 23 meaningful improvement; GAD-7 14 → 5 response without remission', () => {
    const byId = Object.fromEntries(episodeChangeFromBaseline(exampleBundle('sublingual-lozenge-ptsd')).map((c) => [c.instrument, c]));
    expect(byId.pcl5).toMatchObject({ baseline: { total: 53 }, current: { total: 23 }, change: 30, meaningfulImprovement: true, response: true });
    expect(byId.gad7).toMatchObject({ baseline: { total: 14 }, current: { total: 5 }, response: true, remission: false });
  });
});

describe('baselineOf / changesAfterBaseline (one change per later total)', () => {
  const FIRST_DOSE = '2026-03-05T09:00:00-05:00';
  test.each([
    ['assessment score wins over an earlier one', [P(18, 1), P(20, 2, true), P(10, 9)], 20],
    ['else the earliest before the first dose', [P(10, 9), P(18, 3), P(16, 4)], 18],
    ['near miss: nothing before the first dose and no assessment → none', [P(10, 6), P(8, 9)], undefined],
  ])('baseline: %s', (_name, points, total) => {
    expect(baselineOf(points, FIRST_DOSE)?.total).toBe(total);
  });

  test('every later total gets its own change; scores at or before the baseline time get none', () => {
    const r = changesAfterBaseline('phq9', [P(20, 2, true), P(20, 2), P(15, 9), P(8, 20), P(25, 1)], FIRST_DOSE);
    expect(r.map((c) => [c.current?.total, c.change, c.percentChange, c.response, c.remission])).toEqual([
      [15, 5, 25, false, false],
      [8, 12, 60, true, false],
    ]);
    expect(changeFromBaseline('phq9', [P(20, 2, true), P(15, 9), P(8, 20)], FIRST_DOSE)).toEqual(r.at(-1));
  });
});
