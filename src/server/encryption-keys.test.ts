import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId } from '../crypto/at-rest-codec.js';
import { ConfigError, loadConfig } from '../config/service-config.js';
import { developmentEncryptionKey } from './demo-clinic.js';
import { atRestCodec, envCodec, serviceCodec, splitKeyList } from './encryption-keys.js';

const b64 = (): string => randomBytes(32).toString('base64');
const id = (k: string): string => keyId(Buffer.from(k, 'base64'));

/** The ConfigError a function throws (or undefined). */
function configError(fn: () => unknown): ConfigError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      return err;
    }
    throw err;
  }
  return undefined;
}

describe('the keyring of the service (encryptionKey + encryptionKeysPrevious)', () => {
  test('KAP_ENCRYPTION_KEY is the current key, KAP_ENCRYPTION_KEYS_PREVIOUS (comma-separated, hex or base64) the previous ones', () => {
    const [current, p1] = [b64(), b64()];
    const p2hex = randomBytes(32).toString('hex');
    const config = loadConfig({ KAP_ENCRYPTION_KEY: current, KAP_ENCRYPTION_KEYS_PREVIOUS: ` ${p1} ,${p2hex},` });
    expect(config.encryptionKeysPrevious).toEqual([p1, p2hex]);
    const codec = serviceCodec(config);
    expect(codec.currentKeyId).toBe(id(current));
    expect(codec.keyIds).toEqual([id(current), id(p1), keyId(Buffer.from(p2hex, 'hex'))]);
    expect(loadConfig({}).encryptionKeysPrevious).toEqual([]);
    expect(splitKeyList(undefined)).toEqual([]);
  });

  test('a bad previous key is a ConfigError naming the setting and its index, never the value', () => {
    const bad = 'c2hvcnQta2V5LXZhbHVl'; // base64 of 15 bytes
    const err = configError(() => loadConfig({ KAP_ENCRYPTION_KEY: b64(), KAP_ENCRYPTION_KEYS_PREVIOUS: `${b64()},${bad}` }));
    expect(err?.message).toContain('encryptionKeysPrevious[1] (env KAP_ENCRYPTION_KEYS_PREVIOUS): must be 32 bytes');
    expect(err?.message).not.toContain(bad);
    const current = configError(() => loadConfig({ KAP_ENCRYPTION_KEY: bad }));
    expect(current?.message).toContain('encryptionKey (env KAP_ENCRYPTION_KEY): must be 32 bytes');
    expect(current?.message).not.toContain(bad);
    const fromEnvOnly = configError(() => envCodec({ KAP_ENCRYPTION_KEY: b64(), KAP_ENCRYPTION_KEYS_PREVIOUS: bad }));
    expect(fromEnvOnly?.message).toContain('encryptionKeysPrevious[0]');
    expect(fromEnvOnly?.message).not.toContain(bad);
  });

  test('production has no development key: without a current key it refuses', () => {
    const err = configError(() => atRestCodec({ production: true, previous: [b64()] }, () => b64()));
    expect(err?.message).toContain('encryptionKey (env KAP_ENCRYPTION_KEY): required in production');
    expect(configError(() => envCodec({ NODE_ENV: 'production' }))).toBeInstanceOf(ConfigError);
  });

  test('outside production without a key: the per-install development key, with previous keys kept', () => {
    const dev = b64();
    const previous = b64();
    const codec = atRestCodec({ production: false, previous: [previous] }, () => dev);
    expect(codec.keyIds).toEqual([id(dev), id(previous)]);
  });

  test('the development key file: made once (mode 0600), then read by every process of the install', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-devkey-'));
    try {
      const first = developmentEncryptionKey(dir);
      expect(Buffer.from(first, 'base64')).toHaveLength(32);
      expect(statSync(join(dir, 'encryption-key')).mode & 0o777).toBe(0o600);
      expect(developmentEncryptionKey(dir)).toBe(first);
      expect(readFileSync(join(dir, 'encryption-key'), 'utf8').trim()).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
