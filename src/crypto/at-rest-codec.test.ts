import { describe, expect, test } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createAtRestCodec, isSealed, keyId, sealedKeyId, SealedValueError } from './at-rest-codec.js';

/** The episode store's former format (episode-cipher.ts): `v1.<iv>.<tag>.<body>`, base64, AAD `<clinic>/<episode>`. */
function sealV1(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

const PLAIN = JSON.stringify({ patient: { name: 'Avery Testperson', birthDate: '1984-07-19' } });
const AAD = 'sync:payload:clinic-a:episode-ep-1-v1';

describe('at-rest codec (AES-256-GCM, key id, keyring)', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  test('round trip; a fresh IV each time; the format names the key; no clear text in the output', () => {
    const codec = createAtRestCodec({ current: a });
    const x = codec.seal(PLAIN, AAD);
    const y = codec.seal(PLAIN, AAD);
    expect(x).not.toBe(y);
    expect(x).toMatch(/^v2\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealedKeyId(x)).toBe(keyId(a));
    expect(codec.currentKeyId).toBe(keyId(a));
    expect(x).not.toContain('Avery');
    expect(x).not.toContain('1984');
    expect(codec.open(x, AAD)).toBe(PLAIN);
    expect(codec.isCurrent(x)).toBe(true);
    expect(codec.seal('', AAD)).toMatch(/^v2\./);
    expect(codec.open(codec.seal('', AAD), AAD)).toBe('');
  });

  test('the key id is a stable, non-secret fingerprint: same key → same id, other key → other id, never the key', () => {
    expect(keyId(a)).toBe(keyId(Buffer.from(a)));
    expect(keyId(a)).not.toBe(keyId(b));
    expect(a.toString('base64url')).not.toContain(keyId(a));
  });

  test('another record’s AAD, a tampered byte, a key not in the ring or a malformed value is refused, without the value in the error', () => {
    const codec = createAtRestCodec({ current: a });
    const sealed = codec.seal(PLAIN, AAD);
    expect(() => codec.open(sealed, 'sync:payload:clinic-b:episode-ep-1-v1')).toThrow(SealedValueError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    expect(() => codec.open([...parts.slice(0, 4), body.toString('base64url')].join('.'), AAD)).toThrow(SealedValueError);
    const other = createAtRestCodec({ current: b });
    const err = (() => {
      try {
        other.open(sealed, AAD);
      } catch (e) {
        return e as SealedValueError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SealedValueError);
    expect(err?.keyId).toBe(keyId(a));
    expect(err?.message).toContain(keyId(a));
    expect(err?.message).not.toContain('Avery');
    expect(() => codec.open('v2.x.y', AAD)).toThrow('malformed');
    expect(() => codec.open(`${sealed}.extra`, AAD)).toThrow('malformed');
    expect(() => codec.open(PLAIN, AAD)).toThrow('not sealed');
    expect(() => createAtRestCodec({ current: randomBytes(16) })).toThrow('32-byte');
    expect(() => createAtRestCodec({ current: a, previous: [randomBytes(31)] })).toThrow('32-byte');
  });

  test('rotation: the current key seals, previous keys still open what they sealed', () => {
    const old = createAtRestCodec({ current: a });
    const sealedWithA = old.seal(PLAIN, AAD);
    const rotated = createAtRestCodec({ current: b, previous: [a] });
    expect(rotated.keyIds).toEqual([keyId(b), keyId(a)]);
    expect(rotated.open(sealedWithA, AAD)).toBe(PLAIN);
    expect(rotated.isCurrent(sealedWithA)).toBe(false);
    const resealed = rotated.seal(rotated.open(sealedWithA, AAD), AAD);
    expect(rotated.isCurrent(resealed)).toBe(true);
    // A is dropped: what B sealed still opens, what only A sealed does not.
    const bOnly = createAtRestCodec({ current: b });
    expect(bOnly.open(resealed, AAD)).toBe(PLAIN);
    expect(() => bOnly.open(sealedWithA, AAD)).toThrow('not in the keyring');
    // The same key twice in the ring counts once.
    expect(createAtRestCodec({ current: b, previous: [b, a, a] }).keyIds).toEqual([keyId(b), keyId(a)]);
  });

  test('the legacy v1 format opens with any key of the ring and its own AAD; it is never current', () => {
    const v1 = sealV1(a, PLAIN, 'clinic-a/ep-1');
    expect(isSealed(v1)).toBe(true);
    expect(sealedKeyId(v1)).toBeUndefined();
    const rotated = createAtRestCodec({ current: b, previous: [a] });
    expect(rotated.open(v1, 'api:episode:clinic-a:ep-1', { legacyAad: 'clinic-a/ep-1' })).toBe(PLAIN);
    expect(() => rotated.open(v1, 'api:episode:clinic-a:ep-1', { legacyAad: 'clinic-b/ep-1' })).toThrow(SealedValueError);
    expect(() => createAtRestCodec({ current: b }).open(v1, 'x', { legacyAad: 'clinic-a/ep-1' })).toThrow(SealedValueError);
    expect(rotated.isCurrent(v1)).toBe(false);
  });

  test('clear text written before encryption at rest is returned only when allowed', () => {
    const codec = createAtRestCodec({ current: a });
    expect(isSealed(PLAIN)).toBe(false);
    expect(codec.open(PLAIN, AAD, { allowClear: true })).toBe(PLAIN);
    expect(codec.isCurrent(PLAIN)).toBe(false);
  });
});

describe('name digests (Redis key parts that would hold identifier values)', () => {
  test('stable under one key, different under another, and nothing of the name in it', () => {
    const a = createAtRestCodec({ current: randomBytes(32) });
    const b = createAtRestCodec({ current: randomBytes(32) });
    const name = 'Patient|https://kap-fhir.org/fhir/clinic/c|pt-0042';
    expect(a.nameDigest(name)).toBe(a.nameDigest(name));
    expect(a.nameDigest(name)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.nameDigest(name)).not.toBe(b.nameDigest(name));
    expect(a.nameDigest(name)).not.toBe(a.nameDigest(`${name}3`));
    expect(a.nameDigest(name)).not.toContain('0042');
  });
});
