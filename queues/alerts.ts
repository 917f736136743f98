/**
 * Queue `alerts` (one BullMQ queue per target: `alerts-<targetId>`).
 * Safety signals (DetectedIssue + Communication from src/safety) to the prescriber and the clinic, before anything else: their own queue per target with their own workers (not behind routine deliveries), and BullMQ priority inside it (high-severity signals first). Record = the DetectedIssue; signals do not change, version 1.
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

/** Queue kind (the BullMQ queue of target T is `alerts-T`). */
export const ALERTS_QUEUE = 'alerts';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type AlertJob = DeliveryJob & { recordType: 'signal' };

/** The queue name for a target. */
export function alertQueueName(targetId: string): string {
  return queueName(ALERTS_QUEUE, targetId);
}

/** Job options: the retry policy. */
export function alertJobOptions(policy: RetryPolicy): JobsOptions {
  return deliveryJobOptions(policy);
}

/** Job id from (target, record, version): the same submission twice is one job. */
export function alertJobId(targetId: string, recordId: string, version: number): string {
  return deliveryJobId(ALERTS_QUEUE, targetId, recordId, version);
}

/**
 * Enqueues a delivery (a second add with the same id returns the existing job).
 * @param queue - the target's queue
 * @param data - the job data
 * @param policy - the retry policy
 * @param extra - more job options (e.g. priority)
 * @returns the job
 */
export async function enqueueAlert(
  queue: Queue<AlertJob, DeliveryResult>,
  data: AlertJob,
  policy: RetryPolicy,
  extra: JobsOptions = {}
): Promise<Job<AlertJob, DeliveryResult>> {
  return queue.add('signal', data, {
    ...alertJobOptions(policy),
    ...extra,
    jobId: alertJobId(data.targetId, data.recordId, data.version),
  });
}

/**
 * The processor.
 * @param ctx - the delivery context
 * @param worker - a function returning the worker (for rateLimit)
 * @returns the BullMQ processor
 */
export function processAlert(ctx: DeliveryContext, worker: () => Worker) {
  return (job: Job<AlertJob, DeliveryResult>, token?: string): Promise<DeliveryResult> =>
    processDelivery(ctx, job as Job<DeliveryJob>, token, worker());
}

/**
 * Starts a worker for one target's queue.
 * @param ctx - the delivery context
 * @param targetId - the target
 * @param settings - connection, prefix, concurrency, locks, limiter
 * @returns the worker
 */
export function createAlertWorker(ctx: DeliveryContext, targetId: string, settings: DeliveryWorkerSettings): Worker<AlertJob, DeliveryResult> {
  const worker: Worker<AlertJob, DeliveryResult> = new Worker<AlertJob, DeliveryResult>(
    alertQueueName(targetId),
    processAlert(ctx, () => worker as unknown as Worker),
    deliveryWorkerOptions(settings)
  );
  return worker;
}
