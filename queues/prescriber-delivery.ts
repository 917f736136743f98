/**
 * Queue `prescriber-delivery` (one BullMQ queue per target: `prescriber-delivery-<targetId>`).
 * After each dosing session, to the prescriber of that session's prescription: the MedicationAdministration, its vital signs, side effects and the latest instrument scores (src/sync/bundle-tools.ts prescriberDeliveries) — to their FHIR endpoint (conditional updates) or their webhook (signed POST, src/sync/webhook.ts). Record = the dosing session, version = the episode's.
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

/** Queue kind (the BullMQ queue of target T is `prescriber-delivery-T`). */
export const PRESCRIBER_DELIVERY_QUEUE = 'prescriber-delivery';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type PrescriberDeliveryJob = DeliveryJob & { recordType: 'dosing' };

/** The queue name for a target. */
export function prescriberDeliveryQueueName(targetId: string): string {
  return queueName(PRESCRIBER_DELIVERY_QUEUE, targetId);
}

/** Job options: the retry policy. */
export function prescriberDeliveryJobOptions(policy: RetryPolicy): JobsOptions {
  return deliveryJobOptions(policy);
}

/** Job id from (target, record, version): the same submission twice is one job. */
export function prescriberDeliveryJobId(targetId: string, recordId: string, version: number): string {
  return deliveryJobId(PRESCRIBER_DELIVERY_QUEUE, targetId, recordId, version);
}

/**
 * Enqueues a delivery (a second add with the same id returns the existing job).
 * @param queue - the target's queue
 * @param data - the job data
 * @param policy - the retry policy
 * @param extra - more job options (e.g. priority)
 * @returns the job
 */
export async function enqueuePrescriberDelivery(
  queue: Queue<PrescriberDeliveryJob, DeliveryResult>,
  data: PrescriberDeliveryJob,
  policy: RetryPolicy,
  extra: JobsOptions = {}
): Promise<Job<PrescriberDeliveryJob, DeliveryResult>> {
  return queue.add('dosing', data, {
    ...prescriberDeliveryJobOptions(policy),
    ...extra,
    jobId: prescriberDeliveryJobId(data.targetId, data.recordId, data.version),
  });
}

/**
 * The processor.
 * @param ctx - the delivery context
 * @param worker - a function returning the worker (for rateLimit)
 * @returns the BullMQ processor
 */
export function processPrescriberDelivery(ctx: DeliveryContext, worker: () => Worker) {
  return (job: Job<PrescriberDeliveryJob, DeliveryResult>, token?: string): Promise<DeliveryResult> =>
    processDelivery(ctx, job as Job<DeliveryJob>, token, worker());
}

/**
 * Starts a worker for one target's queue.
 * @param ctx - the delivery context
 * @param targetId - the target
 * @param settings - connection, prefix, concurrency, locks, limiter
 * @returns the worker
 */
export function createPrescriberDeliveryWorker(ctx: DeliveryContext, targetId: string, settings: DeliveryWorkerSettings): Worker<PrescriberDeliveryJob, DeliveryResult> {
  const worker: Worker<PrescriberDeliveryJob, DeliveryResult> = new Worker<PrescriberDeliveryJob, DeliveryResult>(
    prescriberDeliveryQueueName(targetId),
    processPrescriberDelivery(ctx, () => worker as unknown as Worker),
    deliveryWorkerOptions(settings)
  );
  return worker;
}
