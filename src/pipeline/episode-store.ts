/**
 * The latest accepted version of each episode, per (clinic, episode id), kept in Redis so that
 * `PUT /v1/episodes/{id}` and `POST /v1/episodes/{id}/sessions` know the current episode. The
 * KAP JSON is sealed (src/crypto/at-rest-codec.ts; AAD = the key without the prefix,
 * `api:episode:<clinic>:<id>`); the version is kept in clear beside it so a write is a
 * compare-and-set on the version (a stale writer loses, never overwrites a newer one). Values of the
 * former `v1` format (AAD `<clinic>/<id>`) are still read, and re-sealed by `kap-fhir rekey`.
 */
import type { RedisClient } from '../redis-client.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import type { SealedRecordFamily } from '../crypto/rekey.js';
import type { KapEpisode } from '../kap/episode.js';

const FAMILY = 'api:episode:';

/** The sealed records of this store, for `kap-fhir rekey`: the `data` field of each episode hash. */
export const EPISODE_RECORDS: SealedRecordFamily = {
  name: 'episodes',
  match: `${FAMILY}*`,
  field: 'data',
  // `api:episode:<clinic>:<id>` → `<clinic>/<id>` (a clinic id has no colon).
  legacyAad: (relativeKey) => relativeKey.slice(FAMILY.length).replace(':', '/'),
};

/** A stored episode with its version. */
export interface StoredEpisode {
  version: number;
  episode: KapEpisode;
  /** SHA-256 of the canonical episode JSON (absent for versions kept before it was recorded). */
  hash?: string;
  /** The job ids the version was enqueued under (absent until its enqueue has finished). */
  jobIds?: string[];
}

/** What `put` replaced: the raw fields, so a failed enqueue can put them back. */
export interface PutResult {
  /** The (newer or equal) version already there when nothing was stored. */
  kept?: number;
  /** The fields replaced (empty when the key did not exist). */
  previous: string[];
}

const CAS = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tonumber(ARGV[1]) <= cur then return {cur} end
local prev = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'data', ARGV[2], 'hash', ARGV[3])
table.insert(prev, 1, -1)
return prev
`;

/** Sets the job ids when the stored version and hash are still the caller's. */
const SET_JOBS = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'hash') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'jobIds', ARGV[3])
return 1
`;

/** Puts back the replaced fields when the stored version and hash are still the caller's. */
const RESTORE = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'hash') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
return 1
`;

/** Encrypted per-clinic episode store. */
export class EpisodeStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly codec: AtRestCodec;

  constructor(redis: RedisClient, prefix: string, codec: AtRestCodec) {
    this.redis = redis;
    this.prefix = prefix;
    this.codec = codec;
  }

  /** The key relative to the prefix: the AAD of the sealed episode. */
  private record(clinicId: string, id: string): string {
    return `${FAMILY}${clinicId}:${id}`;
  }

  private key(clinicId: string, id: string): string {
    return `${this.prefix}:${this.record(clinicId, id)}`;
  }

  /** Reads the current version, or undefined. */
  async get(clinicId: string, id: string): Promise<StoredEpisode | undefined> {
    const [version, data, hash, jobIds] = await this.redis.hmget(this.key(clinicId, id), 'version', 'data', 'hash', 'jobIds');
    if (!version || !data) {
      return undefined;
    }
    const json = this.codec.open(data, this.record(clinicId, id), { legacyAad: `${clinicId}/${id}` });
    return {
      version: Number(version),
      episode: JSON.parse(json) as KapEpisode,
      ...(hash ? { hash } : {}),
      ...(jobIds ? { jobIds: JSON.parse(jobIds) as string[] } : {}),
    };
  }

  /**
   * Stores a version (with its content hash, no job ids yet) when it is newer than the stored one.
   * @returns `kept` = the (newer or equal) version already there when nothing was stored; else
   *   `previous` = the replaced fields (for `restore`)
   */
  async put(clinicId: string, id: string, version: number, episode: KapEpisode, hash: string): Promise<PutResult> {
    const sealed = this.codec.seal(JSON.stringify(episode), this.record(clinicId, id));
    const r = (await this.redis.eval(CAS, 1, this.key(clinicId, id), String(version), sealed, hash)) as [number, ...string[]];
    return r[0] === -1 ? { previous: r.slice(1) as string[] } : { kept: r[0], previous: [] };
  }

  /** Records the job ids of a stored version (nothing when another version replaced it meanwhile). */
  async setJobIds(clinicId: string, id: string, version: number, hash: string, jobIds: string[]): Promise<void> {
    await this.redis.eval(SET_JOBS, 1, this.key(clinicId, id), String(version), hash, JSON.stringify(jobIds));
  }

  /**
   * Undoes a `put` whose enqueue failed: puts the replaced fields back (or removes the key), only
   * when the stored version is still the one that `put` wrote.
   */
  async restore(clinicId: string, id: string, version: number, hash: string, previous: string[]): Promise<void> {
    await this.redis.eval(RESTORE, 1, this.key(clinicId, id), String(version), hash, ...previous);
  }
}
