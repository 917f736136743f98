/**
 * The part every queue's processor shares: take the record lock (one in-flight write per
 * (target, record)), skip what a newer version supersedes or what was already delivered; for a FHIR
 * server, lock the Bundle's resources at that server (per server and resource key, whichever target
 * sends them) and write every entry verified (src/sync/bundle-writer.ts), recording each confirmed
 * entry as it goes; record the delivery (last version, manifest, delivery log), and turn failures into
 * BullMQ's policy: rate limit (429/503 with Retry-After), retry (network, timeout, 408, 5xx, entries
 * not confirmed), or dead letter (other 4xx, with the refused entries).
 */
import type { Bundle } from '@medplum/fhirtypes';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { log } from '../log.js';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { contentHash } from './content-hash.js';
import type { TargetConfig } from './config.js';
import type { DeliveryStore, RecordLock, RecordType } from './delivery-store.js';
import { classifyError, DeliveryError, redactOutcome } from './errors.js';
import { resolved, writtenHash } from './bundle-writer.js';
import { contentionDelayMs } from './contention-delay.js';
import { FhirTarget } from './fhir-target.js';
import { postWebhook } from './webhook.js';

/** First wait after a 409 serialization conflict at the server (it doubles, jittered, up to the cap). */
const CONFLICT_RETRY_MS = 250;
const CONFLICT_RETRY_CAP_MS = 15000;

/** Job data of every delivery queue: ids only, the Bundle is under `payloadKey`. */
export interface DeliveryJob {
  clinicId: string;
  targetId: string;
  recordType: RecordType;
  recordId: string;
  version: number;
  /** Redis key of the Bundle (see DeliveryStore). */
  payloadKey: string;
  requestId?: string;
  /** Number of entries of the Bundle. */
  entries?: number;
  /** 429/503 waits so far that were not counted as attempts (see `maxRateLimitWaits`). */
  rateLimitWaits?: number;
  /** Waits so far for a busy record or resource (bounded: see `maxLockWaits`). */
  lockWaits?: number;
  /** Retries so far after a 409 conflict that were not attempts (see `maxConflictWaits`). */
  conflictWaits?: number;
}

/** What a processed job returns. */
export interface DeliveryResult {
  status: 'delivered' | 'superseded' | 'unchanged';
  /** How it was sent: batch, transaction, one-by-one, webhook, discard. */
  mode?: string;
  /** Entries confirmed at the target (sent now, or already there with this content). */
  count?: number;
  /** Entries sent by this delivery (the others were at the server with the same content). */
  sent?: number;
  /** Requests made to the target. */
  requests?: number;
  at: string;
}

/** A target with what it needs at run time. */
export interface TargetRuntime {
  config: TargetConfig;
  fhir?: FhirTarget;
}

/** Settings the processors need. */
export interface DeliverySettings {
  /** TTL of the record lock (kept alive by a heartbeat while the write runs). */
  recordLockTtlMs: number;
  /** How long a job waits before trying a busy record again. */
  lockRetryMs: number;
  /** Longest Retry-After honoured (a longer one is cut to this and counts as an attempt). Default 1 h. */
  maxRetryAfterMs?: number;
  /** 429/503 waits per job that are not attempts; later ones count as attempts (default 20). */
  maxRateLimitWaits?: number;
  /** Waits for a busy record or resource before a wait counts as an attempt (default 3000; each wait lockRetryMs..20×, jittered). */
  maxLockWaits?: number;
  /** Retries after a 409 (a serialization conflict, a concurrent update) that are not attempts (default 100). */
  maxConflictWaits?: number;
}

/** Everything a processor needs. */
export interface DeliveryContext {
  store: DeliveryStore;
  targets: Map<string, TargetRuntime>;
  settings: DeliverySettings;
}

/**
 * Builds the run-time view of a target.
 * @param config - the target
 * @returns it, with a FHIR client when it is a FHIR server
 */
export function targetRuntime(config: TargetConfig): TargetRuntime {
  return { config, fhir: config.type === 'fhir' ? new FhirTarget(config) : undefined };
}

/** Dead-letter code of a job whose clinic, payload key or Bundle is not its target's clinic's. */
export const PAYLOAD_CLINIC_MISMATCH = 'payload-clinic-mismatch';

/**
 * Whether a job's ids belong to its target's clinic: the job names the target's clinic, and its
 * payload key is one of that clinic's payloads (`<prefix>:sync:payload:<clinic>:<name>`; clinic ids
 * hold no `:`, so the prefix is unambiguous).
 * @param job - the job's clinic and payload key
 * @param targetClinicId - the clinic of the job's target
 * @param storeBase - the delivery store's key base (`<prefix>:sync`)
 */
export function jobBelongsToClinic(job: Pick<DeliveryJob, 'clinicId' | 'payloadKey'>, targetClinicId: string, storeBase: string): boolean {
  const keyPrefix = `${storeBase}:payload:${targetClinicId}:`;
  return (
    job.clinicId === targetClinicId &&
    typeof job.payloadKey === 'string' &&
    job.payloadKey.startsWith(keyPrefix) &&
    job.payloadKey.length > keyPrefix.length
  );
}

/**
 * The stored Bundle when it is the clinic's: a Bundle whose `identifier.system` is the clinic's KAP
 * identifier system (every Bundle the engine stores carries it: episode, dosing and signal Bundles).
 * @param raw - the payload as stored (JSON text, opened)
 * @param clinicId - the clinic of the job's target
 * @returns the parsed Bundle, or undefined when it is not JSON, not a Bundle, or another clinic's
 */
export function clinicBundle(raw: string, clinicId: string): Bundle | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const bundle = parsed as Bundle | null;
  return bundle?.resourceType === 'Bundle' && bundle.identifier?.system === clinicIdentifierSystem(clinicId) ? bundle : undefined;
}

/** What a send did. */
export interface Sent {
  mode: string;
  /** `Type/id` of each entry (FHIR targets). */
  written: string[];
  sent?: number;
  requests?: number;
}

/**
 * Sends a Bundle to a webhook or discard target (FHIR servers: {@link writeToServer}).
 * @param target - the target
 * @param raw - the Bundle as stored (JSON text)
 * @param deliveryId - the job id
 * @returns mode
 */
export async function sendToTarget(target: TargetRuntime, raw: string, deliveryId: string): Promise<Sent> {
  if (target.config.type === 'webhook') {
    await postWebhook(target.config, raw, deliveryId);
    return { mode: 'webhook', written: [] };
  }
  return { mode: 'discard', written: [] };
}

/**
 * Writes a Bundle to a FHIR server: locks its resources there (all or none; `busy` when another write
 * holds one), reads what is already written, writes the rest verified, and keeps the manifest.
 * @returns what was sent, or `busy`
 * @throws DeliveryError
 */
async function writeToServer(
  ctx: DeliveryContext,
  fhir: FhirTarget,
  bundle: Bundle,
  lock: RecordLock,
  d: DeliveryJob,
  jobId: string
): Promise<Sent | 'busy'> {
  const keyed = await fhir.keysOf(bundle);
  const tokens = keyed.map((k) => k.token);
  // The resources this write will send are written by one job at a time at the server: two conditional
  // creates of one key can both create (servers that do not serialize them), and two updates of one
  // resource conflict. A resource already there with this content (its references as the server's ids)
  // is not sent, so it is not locked: a clinic's episodes, which share its Organization, run side by side.
  const cache = await ctx.store.writtenCache(fhir.server, tokens);
  const ids = new Map(keyed.flatMap((k) => (cache.known.has(k.token) ? [[k.fullUrl, cache.known.get(k.token)?.location as string]] : [])));
  const toSend = keyed.filter((k) => {
    const known = cache.known.get(k.token);
    return !known || writtenHash(resolved(k.resource, ids, false)) !== known.hash;
  });
  if (!(await ctx.store.lockResources(lock, fhir.server, toSend.map((k) => k.token), ctx.settings.recordLockTtlMs))) {
    return 'busy';
  }
  const result = await fhir.write(bundle, cache, keyed);
  await ctx.store.putManifest(d.targetId, d.recordType, d.recordId, {
    targetId: d.targetId,
    clinicId: d.clinicId,
    recordType: d.recordType,
    recordId: d.recordId,
    version: d.version,
    jobId,
    payloadKey: d.payloadKey,
    at: new Date().toISOString(),
    entries: keyed.map((k, i) => ({ resourceType: k.key.resourceType, param: k.key.param, system: k.key.system, value: k.key.value, location: result.written[i], hash: k.hash })),
  });
  return result;
}

/**
 * Processes one delivery job.
 * @param ctx - the context
 * @param job - the job
 * @param token - the job's lock token (for moveToDelayed)
 * @param worker - the worker (for rateLimit)
 * @returns the result
 * @throws DelayedError (record busy), RateLimitError, UnrecoverableError (dead letter), Error (retry)
 */
export async function processDelivery(ctx: DeliveryContext, job: Job<DeliveryJob>, token: string | undefined, worker: Worker): Promise<DeliveryResult> {
  const d = job.data;
  const jobId = job.id as string;
  const target = ctx.targets.get(d.targetId);
  const deadLetter = async (e: DeliveryError): Promise<void> => {
    // A job that is not its target's clinic's is listed under the target's clinic (the queue it was
    // found in) and does not pin the payload it names (another clinic's, or not the clinic's Bundle).
    const foreign = e.code === PAYLOAD_CLINIC_MISMATCH;
    await ctx.store.putDeadLetter({
      jobId,
      queue: job.queueName,
      clinicId: target?.config.clinicId ?? d.clinicId,
      targetId: d.targetId,
      recordType: d.recordType,
      recordId: d.recordId,
      version: d.version,
      code: e.code,
      status: e.status,
      outcome: redactOutcome(e.outcome),
      ...(e.entries?.length ? { entries: e.entries.slice(0, 50) } : {}),
      attemptsMade: job.attemptsMade + 1,
      failedAt: new Date().toISOString(),
    }, foreign ? undefined : d.payloadKey);
    log.warn({ jobId, targetId: d.targetId, code: e.code, status: e.status }, 'delivery dead-lettered');
  };
  if (!target) {
    const e = new DeliveryError('rejected', 'unknown-target');
    await deadLetter(e);
    throw new UnrecoverableError(e.code);
  }
  // Before the payload is read (and opened): a job added by hand to one clinic's queue that names
  // another clinic, or another clinic's payload, is never sent — at once, no retry.
  if (!jobBelongsToClinic(d, target.config.clinicId, ctx.store.base)) {
    const e = new DeliveryError('rejected', PAYLOAD_CLINIC_MISMATCH);
    await deadLetter(e);
    throw new UnrecoverableError(e.code);
  }
  const now = (): string => new Date().toISOString();
  // Another write holds the record, or one of its resources at the server: come back later. A wait is
  // not an attempt, up to `maxLockWaits`; beyond, each counts (a lock never released ends in a dead letter).
  const waitBusy = async (): Promise<never> => {
    const waits = (d.lockWaits ?? 0) + 1;
    if (waits > (ctx.settings.maxLockWaits ?? 3000)) {
      throw new DeliveryError('retry', 'busy');
    }
    await job.updateData({ ...d, lockWaits: waits });
    // Capped at 20 × lockRetryMs: a lock is usually held for one write.
    await job.moveToDelayed(Date.now() + contentionDelayMs(waits, ctx.settings.lockRetryMs, 20 * ctx.settings.lockRetryMs), token);
    throw new DelayedError();
  };
  let lock: RecordLock | undefined;
  try {
    // Inside the try: a Redis error here is classified (retried, dead letter on the last attempt).
    const begun = await ctx.store.begin(d.targetId, d.recordType, d.recordId, d.payloadKey, ctx.settings.recordLockTtlMs);
    if (!begun) {
      await waitBusy();
    }
    lock = (begun as NonNullable<typeof begun>).lock;
    const { latest, delivered, raw: stored } = begun as NonNullable<typeof begun>;
    if (latest > d.version || (delivered && delivered.version > d.version)) {
      log.info({ jobId, targetId: d.targetId, version: d.version, latest }, 'delivery superseded');
      await ctx.store.unpinPayload(d.payloadKey, jobId);
      return { status: 'superseded', at: now() };
    }
    if (!stored) {
      throw new DeliveryError('rejected', 'payload-expired');
    }
    // Sealed at rest: opened here (a key missing from the keyring → dead letter `payload-unreadable`).
    const raw = ctx.store.openPayload(d.payloadKey, stored);
    const bundle = clinicBundle(raw, target.config.clinicId);
    if (!bundle) {
      throw new DeliveryError('rejected', PAYLOAD_CLINIC_MISMATCH);
    }
    const hash = contentHash(raw);
    // A signal is re-submitted with every episode version: the same content already delivered is not
    // sent again (the prescriber is not alerted twice); other records compare within their version.
    if (delivered && delivered.hash === hash && (delivered.version === d.version || d.recordType === 'signal')) {
      await ctx.store.unpinPayload(d.payloadKey, jobId);
      return { status: 'unchanged', at: now() };
    }
    const started = Date.now();
    const sent = target.fhir ? await writeToServer(ctx, target.fhir, bundle, lock, d, jobId) : await sendToTarget(target, raw, jobId);
    if (sent === 'busy') {
      await lock.release();
      return await waitBusy();
    }
    const at = now();
    const count = target.fhir ? sent.written.length : (d.entries ?? 0);
    await ctx.store.finish(
      {
        at,
        jobId,
        clinicId: d.clinicId,
        targetId: d.targetId,
        recordType: d.recordType,
        recordId: d.recordId,
        version: d.version,
        mode: sent.mode,
        count,
        sent: sent.sent,
        requests: sent.requests,
        written: sent.written.slice(0, 200),
        requestId: d.requestId,
      },
      hash,
      lock,
      d.payloadKey
    );
    log.info({ jobId, targetId: d.targetId, mode: sent.mode, count, sent: sent.sent, requests: sent.requests, ms: Date.now() - started }, 'delivered');
    return { status: 'delivered', mode: sent.mode, count, ...(sent.sent !== undefined ? { sent: sent.sent, requests: sent.requests } : {}), at };
  } catch (err) {
    if (err instanceof DelayedError) {
      throw err;
    }
    const e = classifyError(err);
    if (e.retryAfterMs !== undefined && (e.status === 429 || e.status === 503)) {
      // The queue waits Retry-After, capped; within the cap and the allowed number of waits it is not
      // an attempt, beyond them it is one (so a target answering 429 forever ends in a dead letter).
      const maxWaitMs = ctx.settings.maxRetryAfterMs ?? 3600000;
      const waits = (d.rateLimitWaits ?? 0) + 1;
      const free = e.retryAfterMs <= maxWaitMs && waits <= (ctx.settings.maxRateLimitWaits ?? 20);
      log.info({ jobId, targetId: d.targetId, status: e.status, retryAfterMs: e.retryAfterMs, waits, attempt: !free }, 'target asks to wait');
      await worker.rateLimit(Math.min(e.retryAfterMs, maxWaitMs));
      if (free) {
        await job.updateData({ ...d, rateLimitWaits: waits });
        throw Worker.RateLimitError();
      }
    }
    if (e.status === 409 && e.kind !== 'rejected') {
      // A serialization conflict or a concurrent update at the server (another transaction touched the
      // same rows): transient, whatever the job did wrong is nothing. Try again after a wait that grows with
      // each conflict, jittered (jobs that conflicted do not come back together), not as an attempt, up to
      // `maxConflictWaits` (100); then as ordinary retries. Confirmed entries are kept.
      const conflicts = (d.conflictWaits ?? 0) + 1;
      if (conflicts <= (ctx.settings.maxConflictWaits ?? 100)) {
        log.info({ jobId, targetId: d.targetId, conflicts }, 'conflict at the target, trying again');
        await job.updateData({ ...d, conflictWaits: conflicts });
        await job.moveToDelayed(Date.now() + contentionDelayMs(conflicts, CONFLICT_RETRY_MS, CONFLICT_RETRY_CAP_MS), token);
        throw new DelayedError();
      }
    }
    if (e.kind === 'rejected') {
      await deadLetter(e);
      throw new UnrecoverableError(e.code);
    }
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) {
      await deadLetter(e);
    }
    log.info({ jobId, targetId: d.targetId, code: e.code, attempt: job.attemptsMade + 1 }, 'delivery failed, will retry');
    throw new Error(e.code);
  } finally {
    await lock?.release();
  }
}

/**
 * The worker's 'failed' event: a job that ended failed without a dead letter gets one, so an accepted
 * submission never disappears. BullMQ fails a job stalled more than `maxStalledCount` times without
 * running the processor (`stalled`); anything else the processor did not classify is `internal-error`.
 * Fixed codes, no error text (it may hold URLs with identifier values).
 * @param ctx - the context
 * @param job - the failed job
 * @param err - what it failed with
 */
export async function deadLetterFailedJob(ctx: DeliveryContext, job: Job<DeliveryJob> | undefined, err: Error): Promise<void> {
  if (!job?.id || (await job.getState()) !== 'failed') {
    return; // retried (delayed / waiting) or gone
  }
  const d = job.data;
  const code = /stalled/i.test(err?.message ?? '') ? 'stalled' : 'internal-error';
  const written = await ctx.store.putDeadLetter(
    {
      jobId: job.id,
      queue: job.queueName,
      clinicId: d.clinicId,
      targetId: d.targetId,
      recordType: d.recordType,
      recordId: d.recordId,
      version: d.version,
      code,
      attemptsMade: job.attemptsMade,
      failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
    },
    d.payloadKey,
    true
  );
  if (written) {
    log.warn({ jobId: job.id, targetId: d.targetId, code }, 'delivery dead-lettered');
  }
}
