/**
 * The sync engine's worker tuning from the environment, read by every process that runs workers
 * (`kap-fhir start` and `kap-fhir worker`): unset, the engine's defaults hold (30 s BullMQ lock and
 * stalled-job check, 15 s record lock, 8 jobs in flight). Shorter locks make a crashed worker's job be
 * taken over sooner — the crash tests use them — at the price of spurious takeovers when a busy worker
 * cannot renew its lock in time.
 */
import type { SyncEngineOptions } from '../../queues/sync-engine.js';
import { ConfigError } from '../config/service-config.js';

/** The environment variables and the engine option each sets. */
const TUNING_ENV = {
  KAP_SYNC_CONCURRENCY: 'concurrency',
  KAP_SYNC_LOCK_MS: 'lockDurationMs',
  KAP_SYNC_STALLED_MS: 'stalledIntervalMs',
  KAP_SYNC_RECORD_LOCK_MS: 'recordLockTtlMs',
} as const satisfies Record<string, keyof SyncEngineOptions>;

/** The tuning options {@link syncTuningFromEnv} may set. */
export type SyncTuning = Partial<Pick<SyncEngineOptions, (typeof TUNING_ENV)[keyof typeof TUNING_ENV]>>;

/**
 * Reads the worker tuning (`KAP_SYNC_CONCURRENCY`, `KAP_SYNC_LOCK_MS`, `KAP_SYNC_STALLED_MS`,
 * `KAP_SYNC_RECORD_LOCK_MS`: positive integers).
 * @param env - the environment
 * @returns the options that are set (none: `{}`)
 * @throws ConfigError naming the variable (never its value) when one is not a positive integer
 */
export function syncTuningFromEnv(env: NodeJS.ProcessEnv): SyncTuning {
  const out: SyncTuning = {};
  for (const [name, option] of Object.entries(TUNING_ENV)) {
    const text = env[name];
    if (text === undefined || text === '') {
      continue;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`invalid configuration:\n  ${name}: must be a positive integer`);
    }
    out[option] = value;
  }
  return out;
}
