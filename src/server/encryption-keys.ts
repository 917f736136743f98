/**
 * The service's keyring for data at rest: the current key (`encryptionKey` / KAP_ENCRYPTION_KEY)
 * seals, the previous ones (`encryptionKeysPrevious` / KAP_ENCRYPTION_KEYS_PREVIOUS, comma-separated)
 * only open, for rotation. Without a current key outside production the per-install development key
 * in `.data/encryption-key` is used (made on the first start, mode 0600): every process of the
 * install (`start`, `serve`, `worker`, `rekey`) shares it and a restart still opens what was kept;
 * production refuses to start without a key.
 */
import { createAtRestCodec, type AtRestCodec } from '../crypto/at-rest-codec.js';
import { ConfigError, parseEncryptionKey, type ServiceConfig } from '../config/service-config.js';
import { developmentEncryptionKey } from './demo-clinic.js';

/** Where the keys come from. */
export interface KeySettings {
  /** The current key (base64 of 32 bytes or 64 hex digits). */
  current?: string;
  /** Previous keys, same encoding. */
  previous?: readonly string[];
  /** NODE_ENV=production: no development key. */
  production: boolean;
}

/** The setting names errors refer to (never a value). */
const CURRENT_SETTING = 'encryptionKey (env KAP_ENCRYPTION_KEY)';
const previousSetting = (i: number): string => `encryptionKeysPrevious[${i}] (env KAP_ENCRYPTION_KEYS_PREVIOUS)`;

/**
 * Splits the comma-separated KAP_ENCRYPTION_KEYS_PREVIOUS.
 * @param text - the variable (undefined or empty: none)
 */
export function splitKeyList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Builds the keyring codec.
 * @param settings - the keys
 * @param devKey - the development key when no current key is set outside production
 * @throws ConfigError when a key is malformed, or production has no current key
 */
export function atRestCodec(settings: KeySettings, devKey: () => string = () => developmentEncryptionKey()): AtRestCodec {
  const currentText = settings.current || (settings.production ? undefined : devKey());
  if (!currentText) {
    throw new ConfigError(`invalid configuration:\n  ${CURRENT_SETTING}: required in production`);
  }
  const current = parseEncryptionKey(currentText, CURRENT_SETTING);
  const previous = (settings.previous ?? []).map((k, i) => parseEncryptionKey(k, previousSetting(i)));
  return createAtRestCodec({ current, previous });
}

/**
 * The keyring of a service configuration.
 * @param config - the validated configuration
 */
export function serviceCodec(config: ServiceConfig): AtRestCodec {
  return atRestCodec({ current: config.encryptionKey, previous: config.encryptionKeysPrevious, production: config.production });
}

/**
 * The keyring of a process configured by environment only (no process does since queues/worker.ts went:
 * `kap-fhir worker` reads the service configuration, {@link serviceCodec}).
 * @param env - KAP_ENCRYPTION_KEY, KAP_ENCRYPTION_KEYS_PREVIOUS, NODE_ENV
 */
export function envCodec(env: NodeJS.ProcessEnv): AtRestCodec {
  return atRestCodec({
    current: env.KAP_ENCRYPTION_KEY,
    previous: splitKeyList(env.KAP_ENCRYPTION_KEYS_PREVIOUS),
    production: env.NODE_ENV === 'production',
  });
}
