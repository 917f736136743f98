/**
 * Queue `alerts` (one BullMQ queue per target: `alerts-<targetId>`).
 * Safety signals (DetectedIssue + Communication from src/safety) to the prescriber and the clinic, before anything else: their own queue per target with their own workers (not behind routine deliveries), and BullMQ priority inside it (high-severity signals first). Record = the DetectedIssue; signals do not change, version 1.
 * Policy (queues/delivery-queue.ts, src/sync/delivery.ts): attempts with exponential backoff and
 * jitter on network errors, timeouts, 408 and 5xx; 429/503 + Retry-After → `worker.rateLimit()`;
 * other 4xx → UnrecoverableError → dead letter with the target's OperationOutcome; the target's rate
 * limit as the worker's limiter; one in-flight write per (target, record); stalled jobs taken over.
 */
import type { DeliveryJob } from '../src/sync/delivery.js';
import { defineDeliveryQueue } from './delivery-queue.js';

/** Queue kind (the BullMQ queue of target T is `alerts-T`). */
export const ALERTS_QUEUE = 'alerts';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type AlertJob = DeliveryJob & { recordType: 'signal' };

/** The queue: name per target, job id, enqueue with the retry policy, worker. */
export const alertsQueue = defineDeliveryQueue<AlertJob>(ALERTS_QUEUE, 'signal');
