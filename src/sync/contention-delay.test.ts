import { describe, expect, test } from '@jest/globals';
import { contentionDelayMs } from './contention-delay.js';

describe('contentionDelayMs', () => {
  test('the bound doubles with each wait up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => contentionDelayMs(n, 200, 5000, 0.999999))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  test('never below half the base, whatever the draw', () => {
    expect(contentionDelayMs(1, 200, 5000, 0)).toBe(100);
    expect(contentionDelayMs(30, 200, 5000, 0)).toBe(100);
  });

  test('spread: draws across [0, 1) land across the range', () => {
    const waits = [0, 0.25, 0.5, 0.75].map((r) => contentionDelayMs(6, 200, 5000, r));
    expect(new Set(waits).size).toBe(4);
    expect(waits.every((w, i) => i === 0 || w > waits[i - 1])).toBe(true);
  });
});
