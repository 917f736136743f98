/**
 * Binds the service's SyncHandle to src/sync's engine (which takes Redis settings, not a URL).
 * The dashboard and the metrics read the engine's own queues.
 */
import type { Queue } from 'bullmq';
import type { JobView } from '../api/ports.js';
import { createSyncEngine, type RedisSettings, type TargetInput } from '../sync/index.js';
import type { SyncFactory, SyncHandle } from './service.js';

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

/** Creates the sync engine for the service. */
export const createSyncHandle: SyncFactory = ({ redisUrl, prefix, targets, codec }) => {
  const redis = redisSettings(redisUrl);
  const engine = createSyncEngine({ redis, prefix, targets: targets as TargetInput[], codec });
  const queues = [...new Set(engine.queues())] as unknown as Queue[];
  const handle: SyncHandle = {
    submitEpisode: (bundle, ctx) => engine.submitEpisode(bundle, ctx),
    submitSignals: (signals, ctx) => engine.submitSignals(signals, ctx),
    jobStatus: async (id, clinicId) => (await engine.jobStatus(id, clinicId)) as JobView | undefined,
    listDeadLetters: async (clinicId) => (await engine.listDeadLetters(clinicId)).map((d) => ({ id: d.jobId, ...d })),
    replay: (id, clinicId) => engine.replay(id, clinicId),
    reconcile: async (targetId, filter) => (await engine.reconcile(targetId, filter)) as unknown as Record<string, unknown>,
    deliveryLog: async (clinicId) => (await engine.deliveryLog(clinicId)) as unknown as Record<string, unknown>[],
    queues: () => queues,
    startWorkers: async () => {
      await engine.startWorkers();
    },
    close: () => engine.close(),
  };
  return handle;
};
