/**
 * Queue `prescriber-delivery` (one BullMQ queue per target: `prescriber-delivery-<targetId>`).
 * After each dosing session, to the prescriber of that session's prescription: the MedicationAdministration, its vital signs, side effects and the latest instrument scores (src/sync/prescriber-deliveries.ts) — to their FHIR endpoint (conditional updates) or their webhook (signed POST, src/sync/webhook.ts). Record = the dosing session, version = the episode's.
 * Policy (queues/delivery-queue.ts, src/sync/delivery.ts): attempts with exponential backoff and
 * jitter on network errors, timeouts, 408 and 5xx; 429/503 + Retry-After → `worker.rateLimit()`;
 * other 4xx → UnrecoverableError → dead letter with the target's OperationOutcome; the target's rate
 * limit as the worker's limiter; one in-flight write per (target, record); stalled jobs taken over.
 */
import type { DeliveryJob } from '../src/sync/delivery.js';
import { defineDeliveryQueue } from './delivery-queue.js';

/** Queue kind (the BullMQ queue of target T is `prescriber-delivery-T`). */
export const PRESCRIBER_DELIVERY_QUEUE = 'prescriber-delivery';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type PrescriberDeliveryJob = DeliveryJob & { recordType: 'dosing' };

/** The queue: name per target, job id, enqueue with the retry policy, worker. */
export const prescriberDeliveryQueue = defineDeliveryQueue<PrescriberDeliveryJob>(PRESCRIBER_DELIVERY_QUEUE, 'dosing');
