/**
 * The latest accepted version of each episode, per (clinic, episode id), kept in Redis so that
 * `PUT /v1/episodes/{id}` and `POST /v1/episodes/{id}/sessions` know the current episode. The
 * KAP JSON is encrypted (episode-cipher.ts); the version is kept in clear beside it so a write
 * is a compare-and-set on the version (a stale writer loses, never overwrites a newer one).
 */
import type { Redis } from 'ioredis';
import type { Cipher } from './episode-cipher.js';
import type { KapEpisodeLike } from './ports.js';

/** A stored episode with its version. */
export interface StoredEpisode {
  version: number;
  episode: KapEpisodeLike;
}

const CAS = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tonumber(ARGV[1]) <= cur then return cur end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'data', ARGV[2])
return -1
`;

/** Encrypted per-clinic episode store. */
export class EpisodeStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly cipher: Cipher;

  constructor(redis: Redis, prefix: string, cipher: Cipher) {
    this.redis = redis;
    this.prefix = prefix;
    this.cipher = cipher;
  }

  private key(clinicId: string, id: string): string {
    return `${this.prefix}:api:episode:${clinicId}:${id}`;
  }

  /** Reads the current version, or undefined. */
  async get(clinicId: string, id: string): Promise<StoredEpisode | undefined> {
    const [version, data] = await this.redis.hmget(this.key(clinicId, id), 'version', 'data');
    if (!version || !data) {
      return undefined;
    }
    const json = this.cipher.decrypt(data, `${clinicId}/${id}`);
    return { version: Number(version), episode: JSON.parse(json) as KapEpisodeLike };
  }

  /**
   * Stores a version when it is newer than the stored one.
   * @returns undefined when stored, else the (newer or equal) version already there
   */
  async put(clinicId: string, id: string, version: number, episode: KapEpisodeLike): Promise<number | undefined> {
    const sealed = this.cipher.encrypt(JSON.stringify(episode), `${clinicId}/${id}`);
    const r = (await this.redis.eval(CAS, 1, this.key(clinicId, id), String(version), sealed)) as number;
    return r === -1 ? undefined : r;
  }
}
