import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createCipher } from './episode-cipher.js';

describe('episode cipher (AES-256-GCM)', () => {
  const cipher = createCipher(randomBytes(32));

  test('round trip; a fresh IV each time; no clear text in the output', () => {
    const plain = JSON.stringify({ patient: { name: 'Avery Testperson' } });
    const a = cipher.encrypt(plain, 'clinic-a/ep-1');
    const b = cipher.encrypt(plain, 'clinic-a/ep-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('Avery');
    expect(cipher.decrypt(a, 'clinic-a/ep-1')).toBe(plain);
  });

  test('another record’s AAD, a tampered byte or another key is refused', () => {
    const sealed = cipher.encrypt('{"x":1}', 'clinic-a/ep-1');
    expect(() => cipher.decrypt(sealed, 'clinic-b/ep-1')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] as string, 'base64');
    body[0] = (body[0] as number) ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64')].join('.'), 'clinic-a/ep-1')).toThrow();
    expect(() => createCipher(randomBytes(32)).decrypt(sealed, 'clinic-a/ep-1')).toThrow();
    expect(() => createCipher(randomBytes(16))).toThrow('32-byte');
  });
});
