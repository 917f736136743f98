/**
 * The sync engine as the service runs it: src/sync's engine on the service's Redis (one server or a
 * cluster), with the worker tuning read from the environment (sync-tuning.ts).
 */
import { createSyncEngine } from '../../queues/sync-engine.js';
import type { TargetInput } from '../sync/index.js';
import type { SyncFactory } from './service.js';
import { syncTuningFromEnv } from './sync-tuning.js';

/** Creates the service's sync engine (no worker runs until `startWorkers()`). */
export const createServiceSyncEngine: SyncFactory = ({ redis, prefix, targets, codec, env, prescriberBundle }) =>
  createSyncEngine({
    redis,
    prefix,
    targets: targets as TargetInput[],
    codec,
    ...(prescriberBundle ? { prescriberBundle } : {}),
    ...syncTuningFromEnv(env),
  });
