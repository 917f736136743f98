import { describe, expect, test } from '@jest/globals';
import { KAP_OBSERVATION } from '../terminology/systems.js';
import { cadss6 } from './cadss-6.js';

const IDS = ['cadss-1', 'cadss-2', 'cadss-6', 'cadss-7', 'cadss-15', 'cadss-22'];

describe('CADSS-6 scoring', () => {
  test('items are CADSS 1, 2, 6, 7, 15, 22, scored 0-4', () => {
    expect(cadss6.items.map((i) => i.linkId)).toEqual(IDS);
    expect(cadss6.items.every((i) => i.options.map((o) => o.score).join() === '0,1,2,3,4')).toBe(true);
    expect(cadss6.totalCode).toMatchObject({ system: KAP_OBSERVATION, code: 'cadss6-total' });
  });

  test('all zero, all max, a mixed total; no band', () => {
    expect(cadss6.score(Object.fromEntries(IDS.map((id) => [id, 0])))).toEqual({ ok: true, total: 0 });
    expect(cadss6.score(Object.fromEntries(IDS.map((id) => [id, 4])))).toEqual({ ok: true, total: 24 });
    expect(cadss6.score(Object.fromEntries(IDS.map((id, i) => [id, i % 5])))).toEqual({ ok: true, total: 10 });
  });

  test('a missing item refuses; 5 is out of range', () => {
    const a: Record<string, number | null> = Object.fromEntries(IDS.map((id) => [id, 2]));
    a['cadss-15'] = null;
    expect(cadss6.score(a)).toMatchObject({ ok: false, missing: ['cadss-15'] });
    expect(cadss6.score({ ...a, 'cadss-15': 5 })).toMatchObject({ ok: false, missing: ['cadss-15'] });
  });
});
