/**
 * Binds the service's SyncHandle to src/sync's engine. The engine takes Redis settings (not a
 * URL) and does not expose its queues, so the dashboard and the metrics get Queue objects of
 * their own on the same names (queues/delivery-queue.ts `queueName(kind, target)`).
 */
import { Queue } from 'bullmq';
import { queueName, type QueueKind } from '../../queues/delivery-queue.js';
import type { JobView } from '../api/ports.js';
import { log } from '../log.js';
import { createSyncEngine, type RedisSettings, type TargetInput, type TargetRole } from '../sync/index.js';
import type { SyncFactory, SyncHandle } from './service.js';

const ROLE_QUEUE: Record<TargetRole, QueueKind> = {
  ehr: 'ehr-sync',
  prescriber: 'prescriber-delivery',
  alerts: 'alerts',
};

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
export const createSyncHandle: SyncFactory = ({ redisUrl, prefix, targets }) => {
  const redis = redisSettings(redisUrl);
  const engine = createSyncEngine({ redis, prefix, targets: targets as TargetInput[] });
  const queues: Queue[] = [];
  const seen = new Set<string>();
  for (const t of engine.targets) {
    for (const role of t.roles) {
      const name = queueName(ROLE_QUEUE[role], t.id);
      if (!seen.has(name)) {
        seen.add(name);
        const q = new Queue(name, { connection: { ...redis, maxRetriesPerRequest: null }, prefix });
        q.on('error', (err) => log.warn({ queue: name, code: (err as { code?: string }).code }, 'dashboard queue error'));
        queues.push(q);
      }
    }
  }
  const handle: SyncHandle = {
    submitEpisode: (bundle, ctx) => engine.submitEpisode(bundle, ctx),
    submitSignals: (signals, ctx) => engine.submitSignals(signals, ctx),
    jobStatus: async (id, clinicId) => (await engine.jobStatus(id, clinicId)) as JobView | undefined,
    listDeadLetters: async (clinicId) => (await engine.listDeadLetters(clinicId)).map((d) => ({ id: d.jobId, ...d })),
    replay: (id, clinicId) => engine.replay(id, clinicId),
    deliveryLog: async (clinicId) => (await engine.deliveryLog(clinicId)) as unknown as Record<string, unknown>[],
    queues: () => queues,
    startWorkers: async () => {
      await engine.startWorkers();
    },
    close: async () => {
      await engine.close();
      await Promise.all(queues.map((q) => q.close()));
    },
  };
  return handle;
};
