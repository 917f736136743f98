/**
 * The part every queue's processor shares: take the record lock (one in-flight write per
 * (target, record)), skip what a newer version supersedes or what was already delivered, send, record
 * the delivery (last version + delivery log), and turn failures into BullMQ's policy: rate limit
 * (429/503 with Retry-After), retry (network, timeout, 408, 5xx), or dead letter (other 4xx).
 */
import type { Bundle } from '@medplum/fhirtypes';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { log } from '../log.js';
import { contentHash } from './bundle-tools.js';
import type { TargetConfig } from './config.js';
import type { DeliveryStore, RecordLock, RecordType } from './delivery-store.js';
import { classifyError, DeliveryError, redactOutcome } from './errors.js';
import { FhirTarget } from './fhir-target.js';
import { postWebhook } from './webhook.js';

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
  /** Hashes of the conditional URLs of resources other records share (see {@link sharedResourceHashes}). */
  shared?: string[];
  /** Number of entries of the Bundle. */
  entries?: number;
  /** 429/503 waits so far that were not counted as attempts (see `maxRateLimitWaits`). */
  rateLimitWaits?: number;
}

/** What a processed job returns. */
export interface DeliveryResult {
  status: 'delivered' | 'superseded' | 'unchanged';
  mode?: string;
  count?: number;
  at: string;
}

/** Resource types several records share at a target (written by many episodes). */
export const SHARED_TYPES = new Set(['Organization', 'Practitioner', 'PractitionerRole', 'Patient', 'Location']);

/**
 * Hashes of the conditional URLs of a Bundle's shared resources (hashed: they hold identifier values).
 * @param bundle - the Bundle
 * @returns the hashes
 */
export function sharedResourceHashes(bundle: Bundle): string[] {
  return (bundle.entry ?? [])
    .filter((e) => SHARED_TYPES.has(e.resource?.resourceType ?? '') && e.request?.url)
    .map((e) => contentHash(`${e.request?.method} ${e.request?.url}`));
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

/**
 * Sends a Bundle to a target.
 * @param target - the target
 * @param raw - the Bundle as stored (JSON text; parsed only when sent entry by entry)
 * @param deliveryId - the job id
 * @returns mode and written ids
 */
export async function sendToTarget(target: TargetRuntime, raw: string, deliveryId: string): Promise<{ mode: string; written: string[] }> {
  switch (target.config.type) {
    case 'fhir':
      return (target.fhir as FhirTarget).upsert(raw);
    case 'webhook':
      await postWebhook(target.config, raw, deliveryId);
      return { mode: 'webhook', written: [] };
    default:
      return { mode: 'discard', written: [] };
  }
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
  const deadLetter = async (e: DeliveryError): Promise<void> => {
    await ctx.store.putDeadLetter({
      jobId,
      queue: job.queueName,
      clinicId: d.clinicId,
      targetId: d.targetId,
      recordType: d.recordType,
      recordId: d.recordId,
      version: d.version,
      code: e.code,
      status: e.status,
      outcome: redactOutcome(e.outcome),
      attemptsMade: job.attemptsMade + 1,
      failedAt: new Date().toISOString(),
    }, d.payloadKey);
    log.warn({ jobId, targetId: d.targetId, code: e.code, status: e.status }, 'delivery dead-lettered');
  };
  const target = ctx.targets.get(d.targetId);
  if (!target) {
    const e = new DeliveryError('rejected', 'unknown-target');
    await deadLetter(e);
    throw new UnrecoverableError(e.code);
  }
  const shared = target.config.type === 'fhir' ? (d.shared ?? []) : [];
  const now = (): string => new Date().toISOString();
  let lock: RecordLock | undefined;
  try {
    // Inside the try: a Redis error here is classified (retried, dead letter on the last attempt).
    const begun = await ctx.store.begin(d.targetId, d.recordType, d.recordId, d.payloadKey, ctx.settings.recordLockTtlMs, shared);
    if (!begun) {
      // Another write of this record is in flight, or the first write of a resource other records share
      // (clinic, practitioner, patient: a target that races conditional creates would duplicate it):
      // come back later (not an attempt).
      await job.moveToDelayed(Date.now() + ctx.settings.lockRetryMs, token);
      throw new DelayedError();
    }
    lock = begun.lock;
    const { latest, delivered, raw, firstWrites } = begun;
    if (latest > d.version || (delivered && delivered.version > d.version)) {
      log.info({ jobId, targetId: d.targetId, version: d.version, latest }, 'delivery superseded');
      await ctx.store.unpinPayload(d.payloadKey, jobId);
      return { status: 'superseded', at: now() };
    }
    if (!raw) {
      throw new DeliveryError('rejected', 'payload-expired');
    }
    const hash = contentHash(raw);
    if (delivered && delivered.version === d.version && delivered.hash === hash) {
      await ctx.store.unpinPayload(d.payloadKey, jobId);
      return { status: 'unchanged', at: now() };
    }
    const started = Date.now();
    const sent = await sendToTarget(target, raw, jobId);
    const at = now();
    const count = d.entries ?? sent.written.length;
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
        count: sent.written.length || count,
        written: sent.written.slice(0, 200),
        requestId: d.requestId,
      },
      hash,
      lock,
      firstWrites,
      d.payloadKey
    );
    log.info({ jobId, targetId: d.targetId, mode: sent.mode, count, ms: Date.now() - started }, 'delivered');
    return { status: 'delivered', mode: sent.mode, count, at };
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
