import { beforeAll, describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { kapEpisodeSchema } from '../kap/episode.js';
import { KAP_OBSERVATION, UCUM } from '../terminology/systems.js';
import { fixtureEpisode } from './__test__/fixture-episode.js';
import { find, identifierValue } from './__test__/mapped.js';
import { loadBaseDefinitions } from './definitions.js';
import { mapEpisode } from './map-episode.js';

/** PHQ-9 answers with this total (items 1–9, 0–3 each). */
function phq9(total: number): Record<string, number> {
  let left = total;
  return Object.fromEntries(
    Array.from({ length: 9 }, (_, i) => {
      const v = Math.min(3, left);
      left -= v;
      return [`phq9-${i + 1}`, v];
    })
  );
}

/** PCL-5 answers with this total. */
function pcl5(total: number): Record<string, number> {
  let left = total;
  return Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => {
      const v = Math.min(4, left);
      left -= v;
      return [`pcl5-${i + 1}`, v];
    })
  );
}

interface Q {
  id: string;
  instrument: string;
  authored: string;
  sessionId?: string;
  answers: Record<string, number>;
}

/** The fixture (assessment s-01 on 2 March, first dose s-03 on 6 March 09:15) with these questionnaires. */
function mapped(...questionnaires: Q[]): Bundle {
  const ep = fixtureEpisode();
  ep.questionnaires = questionnaires as typeof ep.questionnaires;
  return mapEpisode(kapEpisodeSchema.parse(ep));
}

const changes = (b: Bundle): Observation[] =>
  (b.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Observation => r?.resourceType === 'Observation' && !!r.meta?.profile?.[0]?.endsWith('/kap-change-from-baseline'));

const urlOf = (b: Bundle, r: unknown): string | undefined => b.entry?.find((e) => e.resource === r)?.fullUrl;

const components = (o: Observation) => Object.fromEntries((o.component ?? []).map((c) => [c.code.coding?.[0].code, c.valueInteger ?? c.valueBoolean]));

const AT_ASSESSMENT = '2026-03-02T09:30:00-05:00';

describe('change-from-baseline Observations (kap-change-from-baseline)', () => {
  beforeAll(() => loadBaseDefinitions());

  test('fires: PHQ-9 21 at assessment → 9 → 4: one Observation per later total, percent, response, remission', () => {
    const b = mapped(
      { id: 'p0', instrument: 'phq9', authored: AT_ASSESSMENT, sessionId: 's-01', answers: phq9(21) },
      { id: 'p2', instrument: 'phq9', authored: '2026-03-20T09:00:00-04:00', answers: phq9(4) },
      { id: 'p1', instrument: 'phq9', authored: '2026-03-09T08:50:00-05:00', sessionId: 's-04', answers: phq9(9) }
    );
    expect(changes(b).map(identifierValue)).toEqual(['ep-1001/p1-change', 'ep-1001/p2-change']);
    const first = find(b, 'Observation', 'p1-change');
    expect(first).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      code: { coding: [{ system: KAP_OBSERVATION, code: 'phq9-change', display: 'PHQ-9 change from baseline' }] },
      valueQuantity: { value: 57.1, unit: '%', system: UCUM, code: '%' },
      effectiveDateTime: '2026-03-09T08:50:00-05:00',
      encounter: find(b, 'Observation', 'p1').encounter,
    });
    expect(first.derivedFrom).toEqual([{ reference: urlOf(b, find(b, 'Observation', 'p0')) }, { reference: urlOf(b, find(b, 'Observation', 'p1')) }]);
    expect(components(first)).toEqual({ 'change-points': 12, response: true, remission: false });
    const second = find(b, 'Observation', 'p2-change');
    expect(second.valueQuantity?.value).toBe(81);
    expect(second.encounter).toBeUndefined();
    expect(components(second)).toEqual({ 'change-points': 17, response: true, remission: true });
    expect(() => validateResource(first)).not.toThrow();
  });

  test('near miss: one score only (the baseline) → no change Observation', () => {
    expect(changes(mapped({ id: 'p0', instrument: 'phq9', authored: AT_ASSESSMENT, sessionId: 's-01', answers: phq9(21) }))).toEqual([]);
  });

  test('near miss: no score before the first dose and none at assessment → no baseline, no change Observation', () => {
    const b = mapped(
      { id: 'p1', instrument: 'phq9', authored: '2026-03-06T10:30:00-05:00', answers: phq9(15) },
      { id: 'p2', instrument: 'phq9', authored: '2026-03-20T09:00:00-04:00', answers: phq9(4) }
    );
    expect(changes(b)).toEqual([]);
  });

  test('without an assessment score, the earliest score before the first dose is the baseline (GAD-7)', () => {
    const gad7 = (...v: number[]) => Object.fromEntries(v.map((x, i) => [`gad7-${i + 1}`, x]));
    const b = mapped(
      { id: 'g1', instrument: 'gad7', authored: '2026-03-06T09:00:00-05:00', answers: gad7(2, 2, 2, 2, 2, 2, 2) },
      { id: 'g0', instrument: 'gad7', authored: '2026-03-04T09:00:00-05:00', answers: gad7(2, 2, 2, 2, 2, 0, 0) },
      { id: 'g2', instrument: 'gad7', authored: '2026-03-20T09:00:00-04:00', answers: gad7(1, 1, 1, 1, 1, 0, 0) }
    );
    expect(changes(b).map(identifierValue)).toEqual(['ep-1001/g1-change', 'ep-1001/g2-change']);
    expect(find(b, 'Observation', 'g1-change').valueQuantity?.value).toBe(-40);
    expect(components(find(b, 'Observation', 'g1-change'))).toEqual({ 'change-points': -4, response: false, remission: false });
    // exactly 50 %: response; 5 is not below 5: no remission
    expect(components(find(b, 'Observation', 'g2-change'))).toEqual({ 'change-points': 5, response: true, remission: false });
    expect(find(b, 'Observation', 'g2-change').derivedFrom?.[0]).toEqual({ reference: urlOf(b, find(b, 'Observation', 'g0')) });
  });

  test('baseline 0: no percent value and no response component (instruments.md §0)', () => {
    const b = mapped(
      { id: 'p0', instrument: 'phq9', authored: AT_ASSESSMENT, sessionId: 's-01', answers: phq9(0) },
      { id: 'p1', instrument: 'phq9', authored: '2026-03-20T09:00:00-04:00', answers: phq9(3) }
    );
    const o = find(b, 'Observation', 'p1-change');
    expect(o.valueQuantity).toBeUndefined();
    expect(components(o)).toEqual({ 'change-points': -3, remission: true });
  });

  test.each([
    ['fires: PCL-5 50 → 40 (10 points)', 40, true, false],
    ['near miss: PCL-5 50 → 41 (9 points)', 41, false, false],
    ['PCL-5 50 → 25: response as well', 25, true, true],
  ])('%s → meaningful improvement, no remission component', (_name, current, meaningful, response) => {
    const b = mapped(
      { id: 'c0', instrument: 'pcl5', authored: AT_ASSESSMENT, sessionId: 's-01', answers: pcl5(50) },
      { id: 'c1', instrument: 'pcl5', authored: '2026-03-20T09:00:00-04:00', answers: pcl5(current) }
    );
    const o = find(b, 'Observation', 'c1-change');
    expect(o.code.coding?.[0].code).toBe('pcl5-change');
    expect(components(o)).toEqual({ 'change-points': 50 - current, response, 'meaningful-improvement': meaningful });
  });

  test('unscored totals and C-SSRS results yield no change Observation', () => {
    const b = mapped(
      { id: 'p0', instrument: 'phq9', authored: AT_ASSESSMENT, sessionId: 's-01', answers: phq9(21) },
      { id: 'p1', instrument: 'phq9', authored: '2026-03-20T09:00:00-04:00', answers: { 'phq9-1': 1 } },
      { id: 's0', instrument: 'cssrs-screen', authored: AT_ASSESSMENT, answers: { 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 0 } },
      { id: 's1', instrument: 'cssrs-screen', authored: '2026-03-20T09:00:00-04:00', answers: { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-6': 0 } }
    );
    expect(changes(b)).toEqual([]);
  });
});
