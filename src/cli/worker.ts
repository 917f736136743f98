/**
 * `kap-fhir worker [--config FILE]`: the queue workers alone (scale out by running more). The one
 * worker entry point: the clinics' targets come from the configuration, Redis from `REDIS_URL`, the
 * prefix from `REDIS_PREFIX`; `KAP_SYNC_CONCURRENCY` / `KAP_SYNC_LOCK_MS` / `KAP_SYNC_STALLED_MS` /
 * `KAP_SYNC_RECORD_LOCK_MS` tune the workers (src/server/sync-tuning.ts). It prints
 * `kap-fhir is up (workers only)` once every worker runs; on SIGTERM/SIGINT in-flight jobs finish, then it exits 0.
 */
import { runService } from '../server/run.js';

/** Runs the workers until SIGTERM. */
export async function workerCommand(args: string[]): Promise<number> {
  return runService({ api: false, workers: true }, args);
}
