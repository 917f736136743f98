/**
 * The sync engine as the service runs it: src/sync's engine on the service's Redis URL, with the
 * worker tuning read from the environment (sync-tuning.ts).
 */
import { createSyncEngine, type RedisSettings } from '../../queues/sync-engine.js';
import type { TargetInput } from '../sync/index.js';
import type { SyncFactory } from './service.js';
import { syncTuningFromEnv } from './sync-tuning.js';

/**
 * Redis settings from a `redis://[user:password@]host:port[/db]` URL.
 * @param url - the URL
 */
export function redisSettings(url: string): RedisSettings {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** Creates the service's sync engine (no worker runs until `startWorkers()`). */
export const createServiceSyncEngine: SyncFactory = ({ redisUrl, prefix, targets, codec, env, prescriberBundle }) =>
  createSyncEngine({
    redis: redisSettings(redisUrl),
    prefix,
    targets: targets as TargetInput[],
    codec,
    ...(prescriberBundle ? { prescriberBundle } : {}),
    ...syncTuningFromEnv(env),
  });
