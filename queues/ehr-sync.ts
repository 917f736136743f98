/**
 * Queue `ehr-sync` (one BullMQ queue per target: `ehr-sync-<targetId>`).
 * An episode's transaction Bundle to one EHR target of its clinic: the whole Bundle as one transaction, or conditional updates one by one in dependency order when the target's CapabilityStatement declares no transaction (src/sync/fhir-target.ts). Record = the episode, version = its kap-source-version.
 * Policy (queues/delivery-queue.ts, src/sync/delivery.ts): attempts with exponential backoff and
 * jitter on network errors, timeouts, 408 and 5xx; 429/503 + Retry-After → `worker.rateLimit()`;
 * other 4xx → UnrecoverableError → dead letter with the target's OperationOutcome; the target's rate
 * limit as the worker's limiter; one in-flight write per (target, record); stalled jobs taken over.
 */
import { Worker, type Job, type JobsOptions, type Queue } from 'bullmq';
import { processDelivery, type DeliveryContext, type DeliveryJob, type DeliveryResult } from '../src/sync/delivery.js';
import {
  deliveryJobId,
  deliveryJobOptions,
  deliveryWorkerOptions,
  queueName,
  type DeliveryWorkerSettings,
  type RetryPolicy,
} from './delivery-queue.js';

/** Queue kind (the BullMQ queue of target T is `ehr-sync-T`). */
export const EHR_SYNC_QUEUE = 'ehr-sync';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type EhrSyncJob = DeliveryJob & { recordType: 'episode' };

/** The queue name for a target. */
export function ehrSyncQueueName(targetId: string): string {
  return queueName(EHR_SYNC_QUEUE, targetId);
}

/** Job options: the retry policy. */
export function ehrSyncJobOptions(policy: RetryPolicy): JobsOptions {
  return deliveryJobOptions(policy);
}

/** Job id from (target, record, version): the same submission twice is one job. */
export function ehrSyncJobId(targetId: string, recordId: string, version: number): string {
  return deliveryJobId(EHR_SYNC_QUEUE, targetId, recordId, version);
}

/**
 * Enqueues a delivery (a second add with the same id returns the existing job).
 * @param queue - the target's queue
 * @param data - the job data
 * @param policy - the retry policy
 * @param extra - more job options (e.g. priority)
 * @returns the job
 */
export async function enqueueEhrSync(
  queue: Queue<EhrSyncJob, DeliveryResult>,
  data: EhrSyncJob,
  policy: RetryPolicy,
  extra: JobsOptions = {}
): Promise<Job<EhrSyncJob, DeliveryResult>> {
  return queue.add('episode', data, {
    ...ehrSyncJobOptions(policy),
    ...extra,
    jobId: ehrSyncJobId(data.targetId, data.recordId, data.version),
  });
}

/**
 * The processor.
 * @param ctx - the delivery context
 * @param worker - a function returning the worker (for rateLimit)
 * @returns the BullMQ processor
 */
export function processEhrSync(ctx: DeliveryContext, worker: () => Worker) {
  return (job: Job<EhrSyncJob, DeliveryResult>, token?: string): Promise<DeliveryResult> =>
    processDelivery(ctx, job as Job<DeliveryJob>, token, worker());
}

/**
 * Starts a worker for one target's queue.
 * @param ctx - the delivery context
 * @param targetId - the target
 * @param settings - connection, prefix, concurrency, locks, limiter
 * @returns the worker
 */
export function createEhrSyncWorker(ctx: DeliveryContext, targetId: string, settings: DeliveryWorkerSettings): Worker<EhrSyncJob, DeliveryResult> {
  const worker: Worker<EhrSyncJob, DeliveryResult> = new Worker<EhrSyncJob, DeliveryResult>(
    ehrSyncQueueName(targetId),
    processEhrSync(ctx, () => worker as unknown as Worker),
    deliveryWorkerOptions(settings)
  );
  return worker;
}
