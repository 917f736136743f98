import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson } from './canonical-json.js';

describe('canonical JSON', () => {
  test('object keys are sorted at every depth; arrays keep their order', () => {
    const a = { b: 1, a: { d: [{ y: 1, x: 2 }, 3], c: null } };
    const b = { a: { c: null, d: [{ x: 2, y: 1 }, 3] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":2,"y":1},3]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalHash(b)).toBe(canonicalHash(a));
    expect(canonicalJson({ d: [3, { x: 2, y: 1 }] })).not.toBe(canonicalJson({ d: [{ x: 2, y: 1 }, 3] }));
  });

  test('scalars and null; no body hashes like null', () => {
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalHash({ a: 1 })).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
  });
});
