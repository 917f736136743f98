/**
 * Keyrings for tests that build a sync engine themselves: a fresh random key per call (what the
 * service would read from KAP_ENCRYPTION_KEY), so no test shares a key with another or with the
 * install's development key.
 */
import { randomBytes } from 'node:crypto';
import { createAtRestCodec, type AtRestCodec } from '../../../src/crypto/at-rest-codec.js';

/** A fresh AES-256 key as KAP_ENCRYPTION_KEY takes it (base64). */
export function testKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * A codec over a key (a fresh one by default).
 * @param key - base64 of 32 bytes
 * @param previous - previous keys (base64)
 */
export function testCodec(key = testKey(), previous: string[] = []): AtRestCodec {
  return createAtRestCodec({ current: Buffer.from(key, 'base64'), previous: previous.map((k) => Buffer.from(k, 'base64')) });
}
