/**
 * Key rotation of the records sealed at rest: walks every key of each sealed-record family under the
 * service's prefix (SCAN, never KEYS; on a Redis Cluster every master) and re-seals with the current key every value that is not
 * sealed with it (a previous key, the legacy v1 format, or clear text written before encryption at
 * rest). Each write is a compare-and-set on the value read (a record the service rewrote meanwhile
 * is left alone: the service sealed it with the current key) and keeps the key's TTL.
 */
import { scanKeys, type RedisClient } from '../redis-client.js';
import { SealedValueError, type AtRestCodec } from './at-rest-codec.js';

/** One kind of Redis record that holds a sealed value. */
export interface SealedRecordFamily {
  /** Name in reports, e.g. `sync payloads`. */
  name: string;
  /** SCAN pattern relative to the prefix, e.g. `sync:payload:*`. */
  match: string;
  /** The hash field holding the sealed value; omitted: the key is a string. */
  field?: string;
  /** The AAD of the legacy v1 format for a key (relative to the prefix). */
  legacyAad?: (relativeKey: string) => string;
  /** Values in clear (written before encryption at rest) are read, and sealed by rekey. */
  clearAllowed?: boolean;
}

/** What a rekey did for one family. */
export interface RekeyReport {
  family: string;
  /** Keys seen. */
  scanned: number;
  /** Already sealed with the current key. */
  current: number;
  /** Re-sealed with the current key (or that would be, on a dry run). */
  rekeyed: number;
  /** Rewritten by the service between read and write (then sealed with the current key): left alone. */
  changed: number;
  /** Keys whose value opens with no key of the ring (key names only). */
  unreadable: string[];
}

/** Options of {@link rekey}. */
export interface RekeyOptions {
  /** Count only, write nothing. */
  dryRun?: boolean;
  /** SCAN COUNT hint (default 500). */
  batch?: number;
}

const SET_IF_SAME = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`;
const HSET_IF_SAME = `
if redis.call('hget', KEYS[1], ARGV[3]) ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], ARGV[3], ARGV[2])
return 1`;

/** Escapes the glob characters of SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

async function rekeyFamily(redis: RedisClient, prefix: string, codec: AtRestCodec, family: SealedRecordFamily, options: RekeyOptions): Promise<RekeyReport> {
  const report: RekeyReport = { family: family.name, scanned: 0, current: 0, rekeyed: 0, changed: 0, unreadable: [] };
  const wantType = family.field ? 'hash' : 'string';
  for await (const keys of scanKeys(redis, `${globEscape(prefix)}:${family.match}`, options.batch ?? 500)) {
    for (const key of keys) {
      if ((await redis.type(key)) !== wantType) {
        continue;
      }
      const value = family.field ? await redis.hget(key, family.field) : await redis.get(key);
      if (value === null) {
        continue; // expired or deleted meanwhile
      }
      report.scanned++;
      if (codec.isCurrent(value)) {
        report.current++;
        continue;
      }
      const relative = key.slice(prefix.length + 1);
      let plain: string;
      try {
        plain = codec.open(value, relative, { legacyAad: family.legacyAad?.(relative), allowClear: family.clearAllowed });
      } catch (err) {
        if (err instanceof SealedValueError) {
          report.unreadable.push(key);
          continue;
        }
        throw err;
      }
      if (options.dryRun) {
        report.rekeyed++;
        continue;
      }
      const sealed = codec.seal(plain, relative);
      const written = family.field
        ? await redis.eval(HSET_IF_SAME, 1, key, value, sealed, family.field)
        : await redis.eval(SET_IF_SAME, 1, key, value, sealed);
      if (Number(written) === 1) {
        report.rekeyed++;
      } else {
        report.changed++;
      }
    }
  }
  return report;
}

/**
 * Re-seals with the current key every record of the families not sealed with it.
 * @param redis - the service's Redis
 * @param prefix - the service's key prefix (`redisPrefix`)
 * @param codec - the keyring: the current key seals, previous keys open
 * @param families - the sealed-record families (src/server/sealed-records.ts)
 * @param options - dry run, SCAN batch
 * @returns one report per family
 */
export async function rekey(
  redis: RedisClient,
  prefix: string,
  codec: AtRestCodec,
  families: readonly SealedRecordFamily[],
  options: RekeyOptions = {}
): Promise<RekeyReport[]> {
  const reports: RekeyReport[] = [];
  for (const family of families) {
    reports.push(await rekeyFamily(redis, prefix, codec, family, options));
  }
  return reports;
}
