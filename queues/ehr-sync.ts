/**
 * Queue `ehr-sync` (one BullMQ queue per target: `ehr-sync-<targetId>`).
 * An episode's transaction Bundle to one EHR target of its clinic: the whole Bundle as one transaction, or conditional updates one by one in dependency order when the target's CapabilityStatement declares no transaction (src/sync/fhir-target.ts). Record = the episode, version = its kap-source-version.
 * Policy (queues/delivery-queue.ts, src/sync/delivery.ts): attempts with exponential backoff and
 * jitter on network errors, timeouts, 408 and 5xx; 429/503 + Retry-After → `worker.rateLimit()`;
 * other 4xx → UnrecoverableError → dead letter with the target's OperationOutcome; the target's rate
 * limit as the worker's limiter; one in-flight write per (target, record); stalled jobs taken over.
 */
import type { DeliveryJob } from '../src/sync/delivery.js';
import { defineDeliveryQueue } from './delivery-queue.js';

/** Queue kind (the BullMQ queue of target T is `ehr-sync-T`). */
export const EHR_SYNC_QUEUE = 'ehr-sync';

/** Job data: ids only (the Bundle is under `payloadKey`, with a TTL). */
export type EhrSyncJob = DeliveryJob & { recordType: 'episode' };

/** The queue: name per target, job id, enqueue with the retry policy, worker. */
export const ehrSyncQueue = defineDeliveryQueue<EhrSyncJob>(EHR_SYNC_QUEUE, 'episode');
