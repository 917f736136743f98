import { describe, expect, test } from '@jest/globals';
import { jwtLifetimeProblem } from './auth.js';

describe('jwtLifetimeProblem', () => {
  const now = 1_800_000_000;
  test('exp is required', () => {
    expect(jwtLifetimeProblem({ iat: now }, 3600, 30, now)).toBe('exp-missing');
  });
  test('exp − iat at most the maximum', () => {
    expect(jwtLifetimeProblem({ iat: now, exp: now + 3600 }, 3600, 30, now)).toBeUndefined();
    expect(jwtLifetimeProblem({ iat: now, exp: now + 3601 }, 3600, 30, now)).toBe('lifetime-too-long');
    // An old token with a long life is refused even late in it.
    expect(jwtLifetimeProblem({ iat: now - 86000, exp: now + 400 }, 3600, 30, now)).toBe('lifetime-too-long');
  });
  test('without iat: exp − now, with the clock tolerance', () => {
    expect(jwtLifetimeProblem({ exp: now + 3630 }, 3600, 30, now)).toBeUndefined();
    expect(jwtLifetimeProblem({ exp: now + 3631 }, 3600, 30, now)).toBe('lifetime-too-long');
  });
  test('iat in the future beyond the tolerance is refused', () => {
    expect(jwtLifetimeProblem({ iat: now + 30, exp: now + 600 }, 3600, 30, now)).toBeUndefined();
    expect(jwtLifetimeProblem({ iat: now + 31, exp: now + 600 }, 3600, 30, now)).toBe('iat-in-future');
  });
});
