/**
 * What the sync engine keeps in Redis besides BullMQ's own keys, all under `<prefix>:sync:`:
 * - `payload:<clinic>:<name>`: a Bundle to send (PHI), kept out of job data (BullMQ stores job data
 *   in clear text and shows it in dashboards), with a TTL;
 * - `latest:<target>:<type>:<record>`: the highest version submitted (older jobs become no-ops);
 * - `delivered:<target>:<type>:<record>`: version, content hash, job and time of the last delivery
 *   (an older version never overwrites a newer one at the target);
 * - `lock:<target>:<type>:<record>`: one in-flight write per (target, record), with a token, a TTL
 *   and a heartbeat; `lock:<target>:shared:<hash>` + `known:<target>`: the first write of a resource
 *   several records share (Organization, Practitioner, Patient) is made by one job at a time;
 * - `dead:<jobId>` + `dead-index` / `dead-index:<clinic>`: dead letters with the target's outcome
 *   (redacted: severity, code, expression, coding); `pins:<clinic>:<name>`: the dead-lettered jobs
 *   of a payload (a pinned payload has no TTL);
 * - `log:<clinic>`: the delivery log (a stream trimmed by age): ids and codes only.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';

/** The kind of record a job delivers. */
export type RecordType = 'episode' | 'dosing' | 'signal';

/** A dead-lettered delivery. */
export interface DeadLetter {
  jobId: string;
  queue: string;
  clinicId: string;
  targetId: string;
  recordType: RecordType;
  recordId: string;
  version: number;
  /** Failure code: `http-400`, `timeout`, `payload-expired`, … */
  code: string;
  /** HTTP status from the target, if any. */
  status?: number;
  /** The target's OperationOutcome, if it sent one. */
  outcome?: OperationOutcome;
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
  mode: string;
  /** Number of resources written. */
  count: number;
  /** `Type/id` at the target (server ids), at most 200. */
  written: string[];
  requestId?: string;
}

const UNLOCK = `local n = 0 for _, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then n = n + redis.call('del', k) end end return n`;
const EXTEND = `for _, k in ipairs(KEYS) do if redis.call('get', k) == ARGV[1] then redis.call('pexpire', k, ARGV[2]) end end return 1`;
const BEGIN = `
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {0} end
local first = {}
for i = 3, #ARGV do
  if redis.call('sismember', KEYS[5], ARGV[i]) == 0 then table.insert(first, i) end
end
for _, i in ipairs(first) do
  if redis.call('exists', KEYS[i + 3]) == 1 then redis.call('del', KEYS[1]) return {-1} end
end
local out = {1, redis.call('get', KEYS[2]) or '', redis.call('hget', KEYS[3], 'version') or '',
  redis.call('hget', KEYS[3], 'hash') or '', redis.call('get', KEYS[4]) or ''}
for _, i in ipairs(first) do
  redis.call('set', KEYS[i + 3], ARGV[1], 'PX', ARGV[2])
  table.insert(out, ARGV[i])
end
return out`;
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
  private readonly redis: Redis;
  private readonly beat: NodeJS.Timeout;

  constructor(redis: Redis, key: string, token: string, ttlMs: number) {
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
  readonly redis: Redis;
  readonly base: string;
  readonly payloadTtlSeconds: number;
  readonly logTtlSeconds: number;

  constructor(redis: Redis, prefix: string, payloadTtlSeconds: number, logTtlSeconds: number) {
    this.redis = redis;
    this.base = `${prefix}:sync`;
    this.payloadTtlSeconds = payloadTtlSeconds;
    this.logTtlSeconds = logTtlSeconds;
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

  /** Stores a payload; returns its key. */
  async putPayload(clinicId: string, name: string, bundle: Bundle): Promise<string> {
    const key = `${this.base}:payload:${clinicId}:${name}`;
    await this.redis.set(key, JSON.stringify(bundle), 'EX', this.payloadTtlSeconds);
    return key;
  }

  /** Reads a payload (undefined when expired). */
  async getPayload(key: string): Promise<Bundle | undefined> {
    const raw = await this.redis.get(key);
    return raw ? (JSON.parse(raw) as Bundle) : undefined;
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
   * Starts a delivery in one round trip (one Lua script): takes the record lock; if taken, also the
   * locks of the shared resources (hashes) never delivered to the target, all or none; reads the
   * latest submitted version, the last delivery and the payload (raw JSON).
   * @returns `busy` when another write holds the record or a shared first write; else the lock and what was read
   */
  async begin(
    targetId: string,
    type: RecordType,
    recordId: string,
    payloadKey: string,
    ttlMs: number,
    shared: string[] = []
  ): Promise<
    | { lock: RecordLock; latest: number; delivered?: { version: number; hash: string }; raw: string | null; firstWrites: string[] }
    | undefined
  > {
    const record = this.record(targetId, type, recordId);
    const key = `${this.base}:lock:${record}`;
    const token = randomUUID();
    const sharedKeys = shared.map((h) => `${this.base}:lock:${targetId}:shared:${h}`);
    const res = (await this.redis.eval(
      BEGIN,
      5 + shared.length,
      key,
      `${this.base}:latest:${record}`,
      `${this.base}:delivered:${record}`,
      payloadKey,
      `${this.base}:known:${targetId}`,
      ...sharedKeys,
      token,
      String(ttlMs),
      ...shared
    )) as [number, ...string[]];
    if (res[0] !== 1) {
      return undefined;
    }
    const [, latest, version, hash, raw, ...firstWrites] = res;
    const lock = new RecordLock(this.redis, key, token, ttlMs);
    lock.keys.push(...firstWrites.map((h) => `${this.base}:lock:${targetId}:shared:${h}`));
    return {
      lock,
      latest: Number(latest || 0),
      delivered: version ? { version: Number(version), hash } : undefined,
      raw: raw || null,
      firstWrites,
    };
  }

  /**
   * Records a delivery and releases the record lock, in one round trip.
   * @param entry - the delivery log line
   * @param hash - the payload's content hash
   * @param lock - the record lock
   * @param firstWrites - shared resources written for the first time (now known at the target)
   */
  async finish(entry: DeliveryLogEntry, hash: string, lock: RecordLock, firstWrites: string[] = [], payloadKey?: string): Promise<void> {
    const key = `${this.base}:delivered:${this.record(entry.targetId, entry.recordType, entry.recordId)}`;
    const logKey = `${this.base}:log:${entry.clinicId}`;
    const minId = Date.now() - this.logTtlSeconds * 1000;
    lock.stopHeartbeat();
    const m = this.redis.multi();
    if (firstWrites.length) {
      m.sadd(`${this.base}:known:${entry.targetId}`, ...firstWrites);
    }
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
    const res = await this.redis.eval(DEAD, keys.length, ...keys, JSON.stringify(d), String(Date.parse(d.failedAt)), d.jobId, onlyIfAbsent ? '1' : '0');
    return Number(res) === 1;
  }

  /** Reads a dead letter. */
  async getDeadLetter(jobId: string): Promise<DeadLetter | undefined> {
    const raw = await this.redis.get(`${this.base}:dead:${jobId}`);
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
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
    const raws = await this.redis.mget(ids.map((id) => `${this.base}:dead:${id}`));
    return raws.filter((r): r is string => !!r).map((r) => JSON.parse(r) as DeadLetter);
  }
}
