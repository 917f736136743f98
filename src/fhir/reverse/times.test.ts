import { describe, expect, test } from '@jest/globals';
import { byTimeThenId, kapDate, kapDateTime } from './times.js';

describe('times on the way back', () => {
  test('keeps KAP date-times, drops FHIR partial or offset-less ones', () => {
    expect(kapDateTime('2026-04-13T09:10:00-04:00')).toBe('2026-04-13T09:10:00-04:00');
    expect(kapDateTime('2026-04-13T13:10:00Z')).toBe('2026-04-13T13:10:00Z');
    expect(kapDateTime('2026-04-13')).toBeUndefined();
    expect(kapDateTime('2026-04-13T09:10:00')).toBeUndefined();
    expect(kapDateTime(undefined)).toBeUndefined();
  });

  test('takes the date of a dateTime, refuses partial dates', () => {
    expect(kapDate('2019-01-01')).toBe('2019-01-01');
    expect(kapDate('2019-01-01T00:00:00Z')).toBe('2019-01-01');
    expect(kapDate('2019-01')).toBeUndefined();
    expect(kapDate('2019-02-30')).toBeUndefined();
  });

  test('orders by instant across offsets, then by id', () => {
    const xs = [
      { time: '2026-04-13T10:00:00-04:00', id: 'b' }, // 14:00Z
      { time: '2026-04-13T15:00:00+01:00', id: 'c' }, // 14:00Z
      { time: '2026-04-13T13:30:00Z', id: 'z' },
    ];
    expect([...xs].sort(byTimeThenId).map((x) => x.id)).toEqual(['z', 'b', 'c']);
  });
});
