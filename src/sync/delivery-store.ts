/**
 * What the sync engine keeps in Redis besides BullMQ's own keys, all under `<prefix>:sync:`:
 * - `payload:<clinic>:<name>`: a Bundle to send (PHI), kept out of job data (BullMQ stores job data
 *   in clear text and shows it in dashboards), with a TTL;
 * - `latest:<target>:<type>:<record>`: the highest version submitted (older jobs become no-ops);
 * - `delivered:<target>:<type>:<record>`: version, content hash, job and time of the last delivery
 *   (an older version never overwrites a newer one at the target);
 * - `lock:<target>:<type>:<record>`: one in-flight write per (target, record), with a token, a TTL
 *   and a heartbeat; `wlock:<server>:<resource key>`: one in-flight write per resource at a server
 *   (whichever target and record send it), taken with the record lock's token, all of a write or none;
 * - `written:<server>:<resource key>`: the server's id and the content hash last confirmed there (30
 *   days): retries resume, unchanged resources are not sent again; `manifest:<target>:<type>:<record>`:
 *   the last delivered version's entries (sealed), read back by reconciliation (server and resource
 *   keys are hashed: they hold identifier values);
 * - `dead:<jobId>` + `dead-index` / `dead-index:<clinic>`: dead letters with the target's outcome
 *   (redacted: severity, code, expression, coding); `pins:<clinic>:<name>`: the dead-lettered jobs
 *   of a payload (a pinned payload has no TTL);
 * - `log:<clinic>`: the delivery log (a stream trimmed by age): ids and codes only.
 *
 * Payloads and dead letters are sealed at rest (src/crypto/at-rest-codec.ts; AAD = the key without
 * the service prefix, e.g. `sync:payload:<clinic>:<name>`). Values written in clear before that are
 * still read, and sealed by `kap-fhir rekey`.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { scanKeys, type RedisClient } from '../redis-client.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import type { SealedRecordFamily } from '../crypto/rekey.js';
import type { WrittenCache } from './bundle-writer.js';
import type { RefusedEntry } from './entry-outcome.js';
import { DeliveryError } from './errors.js';

/** The sealed payloads, for `kap-fhir rekey`. */
export const PAYLOAD_RECORDS: SealedRecordFamily = { name: 'sync payloads', match: 'sync:payload:*', clearAllowed: true };
/** The sealed dead letters, for `kap-fhir rekey`. */
export const DEAD_LETTER_RECORDS: SealedRecordFamily = { name: 'dead letters', match: 'sync:dead:*', clearAllowed: true };
/** The sealed delivery manifests (they hold identifier values), for `kap-fhir rekey`. */
export const MANIFEST_RECORDS: SealedRecordFamily = { name: 'delivery manifests', match: 'sync:manifest:*', clearAllowed: false };

/** The kind of record a job delivers. */
export type RecordType = 'episode' | 'dosing' | 'signal';

/** How long the written cache and the delivery manifests are kept (30 days). */
const WRITTEN_TTL_SECONDS = 30 * 86400;

/** What was delivered of a record at a target: the version and each entry's key, location and content hash. */
export interface DeliveryManifest {
  targetId: string;
  clinicId: string;
  recordType: RecordType;
  recordId: string;
  version: number;
  jobId: string;
  payloadKey: string;
  at: string;
  entries: { resourceType: string; param: 'identifier' | '_tag'; system: string; value: string; location: string; hash: string }[];
}

/** Which delivery a job is: its queue, and the clinic, target, record and version it delivers. */
export interface DeliveryRef {
  queue: string;
  clinicId: string;
  targetId: string;
  recordType: RecordType;
  recordId: string;
  version: number;
}

/** A dead-lettered delivery. */
export interface DeadLetter extends DeliveryRef {
  jobId: string;
  /** Failure code: `http-400`, `timeout`, `payload-expired`, … */
  code: string;
  /** HTTP status from the target, if any. */
  status?: number;
  /** The target's OperationOutcome, if it sent one. */
  outcome?: OperationOutcome;
  /**
   * The entries the server refused or did not confirm: index in the Bundle, resource type, status, and the
   * server's reason with every value of the submitted resource removed. Entries written before are
   * recorded (a replay writes only what is missing).
   */
  entries?: RefusedEntry[];
  attemptsMade: number;
  failedAt: string;
}

/** One delivery log line. */
export interface DeliveryLogEntry {
  at: string;
  jobId: string;
  clinicId: string;
  targetId: string;
  recordType: RecordType;
  recordId: string;
  version: number;
  /** How it was sent: batch, transaction, one-by-one, webhook, discard (the write mode chosen for the server). */
  mode: string;
  /** Resources confirmed at the target. */
  count: number;
  /** Resources sent by this delivery (the others were there with the same content). */
  sent?: number;
  /** Requests made. */
  requests?: number;
  /** `Type/id` at the target (server ids), at most 200. */
  written: string[];
  requestId?: string;
}

const UNLOCK = `local n = 0 for _, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then n = n + redis.call('del', k) end end return n`;
const EXTEND = `for _, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then redis.call('pexpire', k, ARGV[2]) end end return 1`;
const BEGIN = `
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {0} end
return {1, redis.call('get', KEYS[2]) or '', redis.call('hget', KEYS[3], 'version') or '',
  redis.call('hget', KEYS[3], 'hash') or '', redis.call('get', KEYS[4]) or ''}`;
// Resource locks of one write, all or none: every key free (or already this holder's) → all set.
const LOCK_ALL = `
for _, k in ipairs(KEYS) do
  local v = redis.call('get', k)
  if v and v ~= ARGV[1] then return 0 end
end
for _, k in ipairs(KEYS) do redis.call('set', k, ARGV[1], 'PX', ARGV[2]) end
return 1`;
// Dead letter (+ pin of its payload: PERSIST, so a dead letter stays replayable for as long as it is kept).
// ARGV[4] = '1': only when the job has no dead letter yet (the worker's 'failed' event path).
const DEAD = `
if ARGV[4] == '1' and redis.call('exists', KEYS[1]) == 1 then return 0 end
redis.call('set', KEYS[1], ARGV[1])
redis.call('zadd', KEYS[2], ARGV[2], ARGV[3])
redis.call('zadd', KEYS[3], ARGV[2], ARGV[3])
if KEYS[5] then redis.call('sadd', KEYS[5], ARGV[3]) redis.call('persist', KEYS[4]) end
return 1`;
// A job that referenced a payload is done (delivered, unchanged, superseded): unpin it; when no dead
// letter pins the payload any more, a persisted payload gets its TTL back.
const UNPIN = `
redis.call('srem', KEYS[1], ARGV[1])
if redis.call('scard', KEYS[1]) == 0 and redis.call('ttl', KEYS[2]) == -1 then redis.call('expire', KEYS[2], ARGV[2]) end
return 1`;
const BUMP = `local v = tonumber(redis.call('get', KEYS[1]) or '0') if tonumber(ARGV[1]) > v then redis.call('set', KEYS[1], ARGV[1]) end return v`;

/**
 * A held record lock (and the shared-resource locks added to it), kept alive by a heartbeat until
 * released. All keys hold the same token.
 */
export class RecordLock {
  readonly keys: string[];
  readonly token: string;
  released = false;
  private readonly redis: RedisClient;
  private readonly beat: NodeJS.Timeout;

  constructor(redis: RedisClient, key: string, token: string, ttlMs: number) {
    this.redis = redis;
    this.keys = [key];
    this.token = token;
    this.beat = setInterval(() => {
      this.redis.eval(EXTEND, this.keys.length, ...this.keys, token, String(ttlMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(ttlMs / 3)));
    this.beat.unref();
  }

  /** Stops renewing the lock. */
  stopHeartbeat(): void {
    clearInterval(this.beat);
  }

  /** Releases the lock (no-op when already released). */
  async release(): Promise<void> {
    this.stopHeartbeat();
    if (!this.released) {
      this.released = true;
      await this.redis.eval(UNLOCK, this.keys.length, ...this.keys, this.token);
    }
  }
}

/** Redis bookkeeping of the sync engine. */
export class DeliveryStore {
  readonly redis: RedisClient;
  readonly base: string;
  readonly payloadTtlSeconds: number;
  readonly logTtlSeconds: number;
  private readonly prefix: string;
  private readonly codec: AtRestCodec;

  constructor(redis: RedisClient, prefix: string, payloadTtlSeconds: number, logTtlSeconds: number, codec: AtRestCodec) {
    this.redis = redis;
    this.prefix = prefix;
    this.base = `${prefix}:sync`;
    this.payloadTtlSeconds = payloadTtlSeconds;
    this.logTtlSeconds = logTtlSeconds;
    this.codec = codec;
  }

  /** A key without the service prefix: the AAD its sealed value is bound to. */
  private aad(key: string): string {
    return key.slice(this.prefix.length + 1);
  }

  private sealJson(key: string, value: unknown): string {
    return this.codec.seal(JSON.stringify(value), this.aad(key));
  }

  private openJson<T>(key: string, stored: string): T {
    return JSON.parse(this.codec.open(stored, this.aad(key), { allowClear: true })) as T;
  }

  private record(targetId: string, type: RecordType, recordId: string): string {
    return `${targetId}:${type}:${recordId}`;
  }

  /** The key of the set of dead-lettered job ids that pin a payload (undefined: not a payload key). */
  private pinsKey(payloadKey: string): string | undefined {
    const base = `${this.base}:payload:`;
    return payloadKey.startsWith(base) ? `${this.base}:pins:${payloadKey.slice(base.length)}` : undefined;
  }

  /**
   * A job is done with its payload (delivered, unchanged or superseded): drops its pin, and when no
   * dead letter pins the payload any more, a persisted payload expires again after the TTL. A payload
   * nothing pins is left to its TTL (shared by the targets of a submission: not deleted at once).
   */
  async unpinPayload(payloadKey: string, jobId: string): Promise<void> {
    const pins = this.pinsKey(payloadKey);
    if (pins) {
      await this.redis.eval(UNPIN, 2, pins, payloadKey, jobId, String(this.payloadTtlSeconds));
    }
  }

  /** Stores a payload (sealed); returns its key. */
  async putPayload(clinicId: string, name: string, bundle: Bundle): Promise<string> {
    const key = `${this.base}:payload:${clinicId}:${name}`;
    await this.redis.set(key, this.sealJson(key, bundle), 'EX', this.payloadTtlSeconds);
    return key;
  }

  /** Reads a payload (undefined when expired). */
  async getPayload(key: string): Promise<Bundle | undefined> {
    const stored = await this.redis.get(key);
    return stored ? (JSON.parse(this.openPayload(key, stored)) as Bundle) : undefined;
  }

  /**
   * Opens a payload as stored (e.g. read by {@link begin}).
   * @param key - the payload's key
   * @param stored - the stored value
   * @returns the Bundle's JSON text
   * @throws DeliveryError `payload-unreadable` (a dead letter: the payload stays pinned, a replay
   *   works once the key that sealed it is back in the keyring)
   */
  openPayload(key: string, stored: string): string {
    try {
      return this.codec.open(stored, this.aad(key), { allowClear: true });
    } catch {
      throw new DeliveryError('rejected', 'payload-unreadable');
    }
  }

  /**
   * Raises the latest submitted version of a record.
   * @returns the previous latest (0 when none)
   */
  async bumpLatest(targetId: string, type: RecordType, recordId: string, version: number): Promise<number> {
    const key = `${this.base}:latest:${this.record(targetId, type, recordId)}`;
    return Number(await this.redis.eval(BUMP, 1, key, String(version)));
  }

  /** The latest submitted version of a record (0 when none). */
  async latest(targetId: string, type: RecordType, recordId: string): Promise<number> {
    return Number((await this.redis.get(`${this.base}:latest:${this.record(targetId, type, recordId)}`)) ?? 0);
  }

  /** The last delivery of a record. */
  async delivered(targetId: string, type: RecordType, recordId: string): Promise<{ version: number; hash: string } | undefined> {
    const h = await this.redis.hgetall(`${this.base}:delivered:${this.record(targetId, type, recordId)}`);
    return h.version ? { version: Number(h.version), hash: h.hash ?? '' } : undefined;
  }

  /** The delivery log of a clinic, oldest first. */
  async deliveryLog(clinicId: string, count = 1000): Promise<DeliveryLogEntry[]> {
    const rows = await this.redis.xrange(`${this.base}:log:${clinicId}`, '-', '+', 'COUNT', count);
    return rows.map(([, fields]) => JSON.parse(fields[1]) as DeliveryLogEntry);
  }

  /**
   * Starts a delivery in one round trip (one Lua script): takes the record lock (one in-flight write per
   * (target, record): versions are written in order); reads the latest submitted version, the last
   * delivery and the payload (as stored: sealed, see {@link openPayload}).
   * @returns undefined when another write holds the record; else the lock and what was read
   */
  async begin(
    targetId: string,
    type: RecordType,
    recordId: string,
    payloadKey: string,
    ttlMs: number
  ): Promise<{ lock: RecordLock; latest: number; delivered?: { version: number; hash: string }; raw: string | null } | undefined> {
    const record = this.record(targetId, type, recordId);
    const key = `${this.base}:lock:${record}`;
    const token = randomUUID();
    const res = (await this.redis.eval(BEGIN, 4, key, `${this.base}:latest:${record}`, `${this.base}:delivered:${record}`, payloadKey, token, String(ttlMs))) as [
      number,
      ...string[],
    ];
    if (res[0] !== 1) {
      return undefined;
    }
    const [, latest, version, hash, raw] = res;
    return {
      lock: new RecordLock(this.redis, key, token, ttlMs),
      latest: Number(latest || 0),
      delivered: version ? { version: Number(version), hash } : undefined,
      raw: raw || null,
    };
  }

  /** The Redis key part of a server + resource key (a keyed digest: the key holds identifier values). */
  private resourcePart(server: string, token: string): string {
    return `${this.codec.nameDigest(server)}:${this.codec.nameDigest(token)}`;
  }

  /**
   * Locks resources at a server for one write (all or none), under the record lock's token: the first
   * write of a resource two records share (the clinic, a practitioner, the patient, a prescriber Bundle's
   * encounter and request) is made by one job at a time, whichever target of whichever record sends it —
   * the locks are per server and resource key, not per target. Kept alive and released with the record lock.
   * @param lock - the job's record lock
   * @param server - the server identity
   * @param tokens - the resources' keys (`Type|system|value`)
   * @param ttlMs - lock TTL
   * @returns false when another write holds one of them (nothing taken)
   */
  async lockResources(lock: RecordLock, server: string, tokens: readonly string[], ttlMs: number): Promise<boolean> {
    const keys = [...new Set(tokens.map((t) => `${this.base}:wlock:${this.resourcePart(server, t)}`))];
    if (keys.length === 0) {
      return true;
    }
    const ok = Number(await this.redis.eval(LOCK_ALL, keys.length, ...keys, lock.token, String(ttlMs))) === 1;
    if (ok) {
      lock.keys.push(...keys.filter((k) => !lock.keys.includes(k)));
    }
    return ok;
  }

  /**
   * What is already written at a server, for the given resource keys (location and content hash), and
   * where confirmed writes are recorded: a retried job resumes from what is not yet confirmed, and a
   * resource another job already wrote with the same content is not sent again. Kept 30 days.
   * @param server - the server identity
   * @param tokens - the resources' keys
   */
  async writtenCache(server: string, tokens: readonly string[]): Promise<WrittenCache> {
    const key = (t: string): string => `${this.base}:written:${this.resourcePart(server, t)}`;
    const values = tokens.length ? await this.redis.mget(tokens.map(key)) : [];
    const known = new Map<string, { location: string; hash: string }>();
    tokens.forEach((t, i) => {
      const [location, hash] = (values[i] ?? '').split(' ');
      if (location && hash) {
        known.set(t, { location, hash });
      }
    });
    return {
      known,
      record: async (entries) => {
        if (entries.length) {
          const m = this.redis.multi();
          for (const e of entries) {
            m.set(key(e.token), `${e.location} ${e.hash}`, 'EX', WRITTEN_TTL_SECONDS);
          }
          await m.exec();
        }
      },
    };
  }

  /**
   * Forgets what is recorded as written for these keys (reconciliation found them missing or changed).
   * @param server - the server identity
   * @param tokens - the resources' keys
   */
  async forgetWritten(server: string, tokens: readonly string[]): Promise<void> {
    if (tokens.length) {
      await this.redis.del(...tokens.map((t) => `${this.base}:written:${this.resourcePart(server, t)}`));
    }
  }

  /**
   * Keeps the manifest of a record's last delivered version at a target (sealed: it holds identifier
   * values): what reconciliation reads back.
   * @param targetId - the target
   * @param type - the record type
   * @param recordId - the record
   * @param manifest - the delivered version and its entries
   */
  async putManifest(targetId: string, type: RecordType, recordId: string, manifest: DeliveryManifest): Promise<void> {
    const key = `${this.base}:manifest:${this.record(targetId, type, recordId)}`;
    await this.redis.set(key, this.sealJson(key, manifest), 'EX', WRITTEN_TTL_SECONDS);
  }

  /**
   * The manifests of a target's records (of one clinic's records when the target serves it).
   * @param targetId - the target
   */
  async manifests(targetId: string): Promise<DeliveryManifest[]> {
    const out: DeliveryManifest[] = [];
    for await (const list of scanKeys(this.redis, `${this.base}:manifest:${targetId}:*`, 500)) {
      const values = await this.redis.mget(list);
      list.forEach((k, i) => {
        if (values[i]) {
          out.push(this.openJson<DeliveryManifest>(k, values[i] as string));
        }
      });
    }
    return out.sort((a, b) => a.recordId.localeCompare(b.recordId));
  }

  /**
   * Records a delivery and releases the record lock, in one round trip.
   * @param entry - the delivery log line
   * @param hash - the payload's content hash
   * @param lock - the record lock
   * @param payloadKey - the job's payload (unpinned)
   */
  async finish(entry: DeliveryLogEntry, hash: string, lock: RecordLock, payloadKey?: string): Promise<void> {
    const key = `${this.base}:delivered:${this.record(entry.targetId, entry.recordType, entry.recordId)}`;
    const logKey = `${this.base}:log:${entry.clinicId}`;
    const minId = Date.now() - this.logTtlSeconds * 1000;
    lock.stopHeartbeat();
    const m = this.redis.multi();
    const pins = payloadKey ? this.pinsKey(payloadKey) : undefined;
    if (payloadKey && pins) {
      m.eval(UNPIN, 2, pins, payloadKey, entry.jobId, String(this.payloadTtlSeconds));
    }
    await m
      .hset(key, { version: String(entry.version), hash, jobId: entry.jobId, at: entry.at })
      .xadd(logKey, 'MINID', '~', String(minId), '*', 'entry', JSON.stringify(entry))
      .expire(logKey, this.logTtlSeconds)
      .eval(UNLOCK, lock.keys.length, ...lock.keys, lock.token)
      .exec();
    lock.released = true;
  }

  /**
   * Stores a dead letter and pins its payload (PERSIST: a dead letter is kept until replayed, so is
   * what a replay sends; the TTL comes back when the replayed job is done, see {@link unpinPayload}).
   * @param d - the dead letter
   * @param payloadKey - the job's payload
   * @param onlyIfAbsent - keep an existing dead letter of the job
   * @returns false when onlyIfAbsent and one existed
   */
  async putDeadLetter(d: DeadLetter, payloadKey?: string, onlyIfAbsent = false): Promise<boolean> {
    const pins = payloadKey ? this.pinsKey(payloadKey) : undefined;
    const keys = [`${this.base}:dead:${d.jobId}`, `${this.base}:dead-index`, `${this.base}:dead-index:${d.clinicId}`];
    if (payloadKey && pins) {
      keys.push(payloadKey, pins);
    }
    const sealed = this.sealJson(keys[0] as string, d);
    const res = await this.redis.eval(DEAD, keys.length, ...keys, sealed, String(Date.parse(d.failedAt)), d.jobId, onlyIfAbsent ? '1' : '0');
    return Number(res) === 1;
  }

  /** Reads a dead letter. */
  async getDeadLetter(jobId: string): Promise<DeadLetter | undefined> {
    const key = `${this.base}:dead:${jobId}`;
    const stored = await this.redis.get(key);
    return stored ? this.openJson<DeadLetter>(key, stored) : undefined;
  }

  /** Removes a dead letter (on replay). */
  async removeDeadLetter(d: DeadLetter): Promise<void> {
    await this.redis
      .multi()
      .del(`${this.base}:dead:${d.jobId}`)
      .zrem(`${this.base}:dead-index`, d.jobId)
      .zrem(`${this.base}:dead-index:${d.clinicId}`, d.jobId)
      .exec();
  }

  /** Dead letters, oldest first, of one clinic or all. */
  async listDeadLetters(clinicId?: string): Promise<DeadLetter[]> {
    const ids = await this.redis.zrange(clinicId ? `${this.base}:dead-index:${clinicId}` : `${this.base}:dead-index`, '0', '-1');
    if (!ids.length) {
      return [];
    }
    const keys = ids.map((id) => `${this.base}:dead:${id}`);
    const stored = await this.redis.mget(keys);
    return keys.flatMap((key, i) => (stored[i] ? [this.openJson<DeadLetter>(key, stored[i] as string)] : []));
  }
}
