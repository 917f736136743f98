/**
 * Encryption at rest of the KAP JSON the API keeps (it is PHI): AES-256-GCM with a random
 * 96-bit IV per write and the record's key (clinic + episode id) as additional authenticated
 * data, so a ciphertext cannot be moved to another record.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Encrypts and decrypts with one 32-byte key. */
export interface Cipher {
  encrypt(plain: string, aad: string): string;
  decrypt(sealed: string, aad: string): string;
}

/**
 * Makes a cipher.
 * @param key - 32 bytes
 */
export function createCipher(key: Buffer): Cipher {
  if (key.length !== 32) {
    throw new Error('AES-256-GCM needs a 32-byte key');
  }
  return {
    encrypt(plain, aad) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    decrypt(sealed, aad) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) {
        throw new Error('unknown ciphertext format');
      }
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    },
  };
}
