/**
 * The one codec for patient data kept at rest (Redis): AES-256-GCM, a random 96-bit IV per write,
 * the record's own key as additional authenticated data (a ciphertext moved to another record or
 * clinic does not open), and the id of the key that sealed it, so keys can be rotated:
 *
 *   `v2.<kid>.<iv>.<tag>.<body>`   (base64url parts; `kid` = {@link keyId} of the key)
 *
 * A keyring holds one current key (seals) and previous keys (open only). The episode store's
 * earlier format `v1.<iv>.<tag>.<body>` (base64, no key id, AAD `<clinic>/<episode>`) is still
 * opened — with every key of the ring, current first — and is rewritten as v2 by `kap-fhir rekey`.
 * Errors are fixed text with at most a key id: never a value.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const FORMAT = 'v2';
const LEGACY_FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The label the key id is derived with (changing it changes every key id). */
const KEY_ID_LABEL = 'kap-fhir at-rest key id';
/** Label of the key that {@link AtRestCodec.nameDigest} derives from the current key. */
const NAME_DIGEST_LABEL = 'kap-fhir at-rest name digest';

/** A sealed value cannot be opened: unknown key id, wrong record (AAD), tampered or malformed. */
export class SealedValueError extends Error {
  override name = 'SealedValueError';
  /** The key id the value names (v2), when it could be read. */
  readonly keyId?: string;

  constructor(message: string, keyId?: string) {
    super(message);
    this.keyId = keyId;
  }
}

/** Options of {@link AtRestCodec.open}. */
export interface OpenOptions {
  /** AAD of the legacy v1 format when it differs from the v2 one (the episode store's `<clinic>/<episode>`). */
  legacyAad?: string;
  /** Return a value that is not sealed (written in clear before encryption at rest) as it is. */
  allowClear?: boolean;
}

/** Seals and opens values with a keyring. */
export interface AtRestCodec {
  /** Key id of the current key (the one {@link seal} uses). */
  readonly currentKeyId: string;
  /** Key ids of every key of the ring, current first. */
  readonly keyIds: readonly string[];
  /**
   * Encrypts with the current key.
   * @param plain - the clear text (UTF-8)
   * @param aad - the record it belongs to (its Redis key without the service prefix)
   * @returns `v2.<kid>.<iv>.<tag>.<body>`
   */
  seal(plain: string, aad: string): string;
  /**
   * Decrypts a value sealed with any key of the ring (v2), or the legacy v1 format.
   * @param value - the stored value
   * @param aad - the record it belongs to (as given to {@link seal})
   * @throws SealedValueError when it cannot be opened
   */
  open(value: string, aad: string, options?: OpenOptions): string;
  /** True when the value is sealed in the current format with the current key (nothing for `rekey` to do). */
  isCurrent(value: string): boolean;
  /**
   * A keyed digest of a name that holds identifier values (Redis key parts: a server and a resource key),
   * so a key name reveals nothing, not even to a guess of a short identifier: HMAC-SHA256 under a key
   * derived from the current key, base64url (22 characters). It changes with the current key (a cache
   * keyed by it starts cold after a rotation).
   * @param name - the name
   */
  nameDigest(name: string): string;
}

/**
 * The non-secret id of a key: the first 8 bytes of HMAC-SHA256(key, label), base64url (11 characters).
 * @param key - a 32-byte key
 */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL).digest().subarray(0, 8).toString('base64url');
}

/**
 * True when a stored value is sealed (v2, or the legacy v1 format), false for clear text.
 * @param value - the stored value
 */
export function isSealed(value: string): boolean {
  return value.startsWith(`${FORMAT}.`) || value.startsWith(`${LEGACY_FORMAT}.`);
}

/**
 * The key id a v2 value names (undefined for v1 or clear text).
 * @param value - the stored value
 */
export function sealedKeyId(value: string): string | undefined {
  return value.startsWith(`${FORMAT}.`) ? value.split('.', 3)[1] : undefined;
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, body: Buffer, aad: string): string {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('malformed');
  }
  const d = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(body), d.final()]).toString('utf8');
}

/**
 * Makes a codec over a keyring.
 * @param keys - `current` (seals and opens) and `previous` (open only, for rotation); 32 bytes each
 * @throws Error when a key is not 32 bytes
 */
export function createAtRestCodec(keys: { current: Buffer; previous?: readonly Buffer[] }): AtRestCodec {
  const all = [keys.current, ...(keys.previous ?? [])];
  if (all.some((k) => k.length !== KEY_BYTES)) {
    throw new Error('AES-256-GCM needs 32-byte keys');
  }
  const ring = new Map<string, Buffer>();
  for (const k of all) {
    const id = keyId(k);
    if (!ring.has(id)) {
      ring.set(id, k);
    }
  }
  const currentKeyId = keyId(keys.current);
  const nameKey = createHmac('sha256', keys.current).update(NAME_DIGEST_LABEL).digest();

  const openLegacy = (value: string, aad: string): string => {
    const [, iv, tag, body, extra] = value.split('.');
    if (!iv || !tag || body === undefined || extra !== undefined) {
      throw new SealedValueError('sealed value is malformed');
    }
    for (const key of ring.values()) {
      try {
        return decrypt(key, Buffer.from(iv, 'base64'), Buffer.from(tag, 'base64'), Buffer.from(body, 'base64'), aad);
      } catch {
        // next key
      }
    }
    throw new SealedValueError('legacy v1 value opens with no key of the ring (wrong record, key dropped, or tampered)');
  };

  return {
    currentKeyId,
    keyIds: [...ring.keys()],
    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', keys.current, iv, { authTagLength: TAG_BYTES });
      c.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return [FORMAT, currentKeyId, iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(value, aad, options = {}) {
      if (value.startsWith(`${LEGACY_FORMAT}.`)) {
        return openLegacy(value, options.legacyAad ?? aad);
      }
      if (!value.startsWith(`${FORMAT}.`)) {
        if (options.allowClear) {
          return value;
        }
        throw new SealedValueError('value is not sealed');
      }
      const [, kid, iv, tag, body, extra] = value.split('.');
      if (!kid || !iv || !tag || body === undefined || extra !== undefined) {
        throw new SealedValueError('sealed value is malformed');
      }
      const key = ring.get(kid);
      if (!key) {
        throw new SealedValueError(`sealed with key ${kid}, which is not in the keyring`, kid);
      }
      try {
        return decrypt(key, Buffer.from(iv, 'base64url'), Buffer.from(tag, 'base64url'), Buffer.from(body, 'base64url'), aad);
      } catch {
        throw new SealedValueError(`sealed value does not open with key ${kid} (wrong record or tampered)`, kid);
      }
    },
    isCurrent(value) {
      return sealedKeyId(value) === currentKeyId;
    },
    nameDigest(name) {
      return createHmac('sha256', nameKey).update(name, 'utf8').digest().subarray(0, 16).toString('base64url');
    },
  };
}
