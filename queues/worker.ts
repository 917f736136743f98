/**
 * The worker process: starts the workers of every queue (ehr-sync, prescriber-delivery, alerts) for
 * the targets of `KAP_SYNC_TARGETS_FILE` / `KAP_SYNC_TARGETS`, on Redis `REDIS_HOST`/`REDIS_PORT`
 * (default 127.0.0.1:6379) under `KAP_SYNC_PREFIX` (default `kap`), opening and sealing payloads with
 * `KAP_ENCRYPTION_KEY` (+ `KAP_ENCRYPTION_KEYS_PREVIOUS`; outside production without a key, the
 * install's `.data/encryption-key`, as the service does). On SIGTERM/SIGINT it stops taking
 * jobs and lets in-flight ones finish (each bounded by its target's timeout) before exiting; a job
 * cut short by a crash is taken over by another worker once its lock lapses (stalled-job recovery).
 */
import { log } from '../src/log.js';
import { envCodec } from '../src/server/encryption-keys.js';
import { createSyncEngine, loadTargets, type SyncEngine } from '../src/sync/index.js';

/**
 * Starts the workers from the environment.
 * @param env - the environment
 * @returns the running engine
 */
export async function startWorkerProcess(env: NodeJS.ProcessEnv = process.env): Promise<SyncEngine> {
  const num = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);
  const engine = createSyncEngine({
    redis: { host: env.REDIS_HOST ?? '127.0.0.1', port: num(env.REDIS_PORT) ?? 6379 },
    prefix: env.KAP_SYNC_PREFIX ?? 'kap',
    targets: loadTargets(env),
    codec: envCodec(env),
    concurrency: num(env.KAP_SYNC_CONCURRENCY),
    lockDurationMs: num(env.KAP_SYNC_LOCK_MS),
    stalledIntervalMs: num(env.KAP_SYNC_STALLED_MS),
    recordLockTtlMs: num(env.KAP_SYNC_RECORD_LOCK_MS),
    policy: { attempts: num(env.KAP_SYNC_ATTEMPTS), backoffMs: num(env.KAP_SYNC_BACKOFF_MS) },
  });
  const workers = await engine.startWorkers();
  log.info({ workers: workers.length, targets: engine.targets.length }, 'sync workers started');
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) {
      return;
    }
    closing = true;
    log.info({ signal }, 'sync workers closing');
    engine
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return engine;
}

if (process.argv[1] && /queues[\\/]worker\.(ts|js)$/.test(process.argv[1])) {
  await startWorkerProcess();
  process.stdout.write('sync workers ready\n');
}
