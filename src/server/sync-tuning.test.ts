import { describe, expect, test } from '@jest/globals';
import { ConfigError } from '../config/service-config.js';
import { syncTuningFromEnv } from './sync-tuning.js';

describe('syncTuningFromEnv', () => {
  test('unset or empty: nothing (the engine keeps its defaults)', () => {
    expect(syncTuningFromEnv({})).toEqual({});
    expect(syncTuningFromEnv({ KAP_SYNC_LOCK_MS: '' })).toEqual({});
  });

  test('each variable sets its engine option', () => {
    const env = { KAP_SYNC_CONCURRENCY: '2', KAP_SYNC_LOCK_MS: '5000', KAP_SYNC_STALLED_MS: '1000', KAP_SYNC_RECORD_LOCK_MS: '4000' };
    expect(syncTuningFromEnv(env)).toEqual({ concurrency: 2, lockDurationMs: 5000, stalledIntervalMs: 1000, recordLockTtlMs: 4000 });
  });

  test.each(['0', '-1', '1.5', 'soon'])('%s: a ConfigError naming the variable, not the value', (value) => {
    let error: unknown;
    try {
      syncTuningFromEnv({ KAP_SYNC_STALLED_MS: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('invalid configuration:\n  KAP_SYNC_STALLED_MS: must be a positive integer');
  });
});
