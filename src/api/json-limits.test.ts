import { describe, expect, test } from '@jest/globals';
import { jsonLimitBreach } from './json-limits.js';

describe('jsonLimitBreach', () => {
  const nest = (n: number): unknown => {
    let v: unknown = 0;
    for (let i = 0; i < n; i++) {
      v = { a: [v] };
    }
    return v;
  };

  test('within limits → undefined', () => {
    expect(jsonLimitBreach({ a: [1, 2, { b: 'c' }] }, 5, 10)).toBeUndefined();
    expect(jsonLimitBreach('text', 1, 1)).toBeUndefined();
  });

  test('too deep and too long are reported without recursion (a 100 000-level value)', () => {
    expect(jsonLimitBreach(nest(10), 10, 100)).toBe('JSON nesting deeper than 10');
    expect(jsonLimitBreach(nest(100000), 40, 100)).toBe('JSON nesting deeper than 40');
    expect(jsonLimitBreach({ a: new Array(11).fill(0) }, 10, 10)).toBe('JSON array longer than 10');
  });
});
