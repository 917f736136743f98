import { describe, expect, test } from '@jest/globals';
import { jsonLimitBreach, jsonTextBreach } from './json-limits.js';

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
    expect(jsonLimitBreach(nest(10), 10, 100)?.text).toBe('JSON nesting deeper than 10');
    expect(jsonLimitBreach(nest(100000), 40, 100)).toMatchObject({ status: 413, code: 'too-costly', text: 'JSON nesting deeper than 40' });
    expect(jsonLimitBreach({ a: new Array(11).fill(0) }, 10, 10)).toMatchObject({ status: 413, text: 'JSON array longer than 10', path: ['a'] });
  });

  test('a lone surrogate in a value or a field name → 400 with the path', () => {
    expect(jsonLimitBreach({ a: [{ b: 'ok' }, { b: 'x\ud800' }] }, 10, 10)).toMatchObject({ status: 400, code: 'invalid', path: ['a', 1, 'b'] });
    expect(jsonLimitBreach({ a: { ['\udfff']: 1 } }, 10, 10)).toMatchObject({ status: 400, path: ['a'] });
    expect(jsonLimitBreach('\ud83d', 10, 10)).toMatchObject({ status: 400, path: [] });
    expect(jsonLimitBreach({ a: 'emoji \u{1F600} and 𠮷' }, 10, 10)).toBeUndefined();
  });
});

describe('jsonTextBreach (duplicate keys in the raw text)', () => {
  test('no duplicate → undefined; the same key in sibling objects is fine', () => {
    expect(jsonTextBreach('{"a":1,"b":[{"x":1},{"x":2}],"c":{"x":3}}', 10)).toBeUndefined();
  });

  test('a duplicate is named by its path, escapes are unescaped first', () => {
    expect(jsonTextBreach('{"a":1,"a":2}', 10)).toMatchObject({ status: 400, path: ['a'] });
    expect(jsonTextBreach('{"id":1,"\\u0069d":2}', 10)).toMatchObject({ path: ['id'] });
    expect(jsonTextBreach('{"s":[{"v":[{"k":1}]},{"v":[{},{"k":1,"k":2}]}]}', 10)).toMatchObject({ path: ['s', 1, 'v', 1, 'k'] });
  });

  test('a body nested past the limit stops the scan (413) instead of recursing through it', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(jsonTextBreach(deep, 40)).toMatchObject({ status: 413, code: 'too-costly' });
  });

  test('text that is not JSON gives no breach (JSON.parse refuses it)', () => {
    expect(jsonTextBreach('{"a":', 10)).toBeUndefined();
  });
});
