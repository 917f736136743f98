/**
 * What the three delivery queues (ehr-sync, prescriber-delivery, alerts) share: one BullMQ queue per
 * (kind, target), so a target's rate limit (`limiter`) and a 429's `worker.rateLimit()` hold back
 * that target only (BullMQ's per-group limits are a paid feature); job ids from
 * (kind, target, record, version), `_`-separated (FHIR ids have no `_`, BullMQ ids no `:`); the
 * retry policy as job options; the worker options.
 */
import { Worker, type ConnectionOptions, type Job, type JobsOptions, type Queue, type RateLimiterOptions, type WorkerOptions } from 'bullmq';
import { FHIR_ID_PATTERN } from '../src/fhir-id.js';
import { DELIVERY_RECORD_ID } from '../src/identity/record-identity.js';
import { deadLetterFailedJob, processDelivery, type DeliveryContext, type DeliveryJob, type DeliveryResult } from '../src/sync/delivery.js';

/** The queue kinds and their job-id tags. */
export const QUEUE_KINDS = { 'ehr-sync': 'ehr', 'prescriber-delivery': 'rx', alerts: 'alert' } as const;
export type QueueKind = keyof typeof QUEUE_KINDS;

/** Retry policy of a delivery queue. */
export interface RetryPolicy {
  /** Attempts in all (first try + retries) before the dead letter. */
  attempts: number;
  /** First backoff delay; doubles each attempt, ±50 % jitter. */
  backoffMs: number;
}

/** Worker settings of a delivery queue. */
export interface DeliveryWorkerSettings {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** BullMQ job lock; a worker that stops renewing it (crash) has its jobs taken over after it lapses. */
  lockDurationMs: number;
  /** How often stalled jobs are looked for. */
  stalledIntervalMs: number;
  limiter?: RateLimiterOptions;
}

/**
 * The BullMQ queue name of a kind for a target.
 * @param kind - the queue kind
 * @param targetId - the target id
 * @returns e.g. `ehr-sync-epic-main`
 */
export function queueName(kind: QueueKind, targetId: string): string {
  return `${kind}-${targetId}`;
}

/**
 * The job id of a delivery: the same (kind, target, record, version) is one job.
 * @returns e.g. `ehr_epic-main_ep-42_v3`
 */
export function deliveryJobId(kind: QueueKind, targetId: string, recordId: string, version: number): string {
  return `${QUEUE_KINDS[kind]}_${targetId}_${recordId}_v${version}`;
}

const JOB_ID = new RegExp(`^([a-z]+)_(${FHIR_ID_PATTERN})_(${DELIVERY_RECORD_ID.source.slice(1, -1)})_v(\\d+)$`);

/**
 * Reads a job id back.
 * @param id - a job id made by {@link deliveryJobId}
 * @returns its parts, or undefined when it is not one
 */
export function parseDeliveryJobId(id: string): { kind: QueueKind; targetId: string; recordId: string; version: number } | undefined {
  // record: an episode id, or `<episode>~<record>` (src/identity/record-identity.ts DELIVERY_RECORD_ID)
  const m = JOB_ID.exec(id);
  const kind = m ? (Object.keys(QUEUE_KINDS) as QueueKind[]).find((k) => QUEUE_KINDS[k] === m[1]) : undefined;
  return m && kind ? { kind, targetId: m[2], recordId: m[3], version: Number(m[4]) } : undefined;
}

/**
 * Job options: attempts, exponential backoff with jitter (BullMQ's), completed jobs kept a week
 * (up to 10 000), failed ones kept (they are the dead letters).
 * @param policy - the retry policy
 * @returns the options
 */
export function deliveryJobOptions(policy: RetryPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
    removeOnFail: false,
  };
}

/**
 * Worker options from the settings.
 * @param s - the settings
 * @returns BullMQ worker options
 */
export function deliveryWorkerOptions(s: DeliveryWorkerSettings): WorkerOptions {
  return {
    connection: s.connection,
    prefix: s.prefix,
    concurrency: s.concurrency,
    lockDuration: s.lockDurationMs,
    stalledInterval: s.stalledIntervalMs,
    maxStalledCount: 3,
    limiter: s.limiter,
    autorun: true,
  };
}

/** What each delivery queue module exports: its kind, its job's record type, and the functions on them. */
export interface DeliveryQueue<T extends DeliveryJob> {
  /** Queue kind (the BullMQ queue of target T is `<kind>-T`). */
  kind: QueueKind;
  /** The record type of its jobs. */
  recordType: T['recordType'];
  /** The BullMQ name of a target's queue. */
  queueName(targetId: string): string;
  /** Job id from (target, record, version): the same submission twice is one job. */
  jobId(targetId: string, recordId: string, version: number): string;
  /** Enqueues a delivery with the retry policy (a second add with the same id returns the existing job). */
  enqueue(queue: Queue<T, DeliveryResult>, data: T, policy: RetryPolicy, extra?: JobsOptions): Promise<Job<T, DeliveryResult>>;
  /** Starts a worker on a target's queue, processing with src/sync/delivery.ts `processDelivery`. */
  createWorker(ctx: DeliveryContext, targetId: string, settings: DeliveryWorkerSettings): Worker<T, DeliveryResult>;
}

/**
 * Defines a delivery queue: the three queue modules differ only in kind and record type, and share
 * the policy above and the processor of src/sync/delivery.ts.
 * @param kind - the queue kind
 * @param recordType - the record type of its jobs (also the job name)
 * @returns the queue's functions
 */
export function defineDeliveryQueue<T extends DeliveryJob>(kind: QueueKind, recordType: T['recordType']): DeliveryQueue<T> {
  return {
    kind,
    recordType,
    queueName: (targetId) => queueName(kind, targetId),
    jobId: (targetId, recordId, version) => deliveryJobId(kind, targetId, recordId, version),
    enqueue: (queue, data, policy, extra = {}) =>
      // the job name is the record type (BullMQ derives its name type from the data type: cast)
      queue.add(recordType as never, data as never, {
        ...deliveryJobOptions(policy),
        ...extra,
        jobId: deliveryJobId(kind, data.targetId, data.recordId, data.version),
      }) as Promise<Job<T, DeliveryResult>>,
    createWorker: (ctx, targetId, settings) => {
      const worker: Worker<T, DeliveryResult> = new Worker<T, DeliveryResult>(
        queueName(kind, targetId),
        (job, token) => processDelivery(ctx, job as unknown as Job<DeliveryJob>, token, worker as unknown as Worker),
        deliveryWorkerOptions(settings)
      );
      // A job failed without the processor's dead letter (stalled too often, an unclassified error).
      worker.on('failed', (job, err) => {
        deadLetterFailedJob(ctx, job as unknown as Job<DeliveryJob> | undefined, err).catch(() => undefined);
      });
      return worker;
    },
  };
}
