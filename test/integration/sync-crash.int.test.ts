/**
 * The production worker process — `kap-fhir worker` (the compiled binary, bin/kap-fhir.js → dist/,
 * configured as in production: a config file with the clinic and its target, `REDIS_URL` (or
 * `REDIS_CLUSTER_NODES` on the cluster), `REDIS_PREFIX`, `KAP_ENCRYPTION_KEY`) — killed with SIGKILL in the middle of a delivery: another
 * worker takes the stalled job over and the target ends with no duplicate. And SIGTERM: the worker
 * finishes its in-flight job before exiting 0.
 *
 * Every wait is on an event: the worker's readiness line, the request reaching the sandbox, the held
 * request ending, the job's final state. The sandbox holds the worker's first POST (`HOLD_MS`) so the
 * signal lands while the delivery is in flight; the test checks that it did.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { SandboxRequestRecord } from '../../src/sandbox/sandbox.js';
import { createSyncEngine, type SyncEngine } from '../../queues/sync-engine.js';
import { exitOf, killChild, spawnNode, waitForOutput } from '../helpers/cli.js';
import { CHILD_TEST_TIMEOUT_MS, SETTLE_TIMEOUT_MS } from '../helpers/timeouts.js';
import { countByIdentifier, startSandbox, syntheticSubmission, until, type RunningSandbox } from './helpers/sandbox.js';
import { testCodec, testKey } from './helpers/codec.js';
import { cleanupPrefix, testPrefix, testRedisEndpoint, testServiceRedisEnv } from './helpers/redis.js';
import { entryKeys } from './helpers/sync-harness.js';

/** What `kap-fhir worker` prints once its workers run. */
const READY = 'kap-fhir is up (workers only)';
/**
 * How long the sandbox holds the worker's first POST: the signal is sent as soon as the request is
 * seen, so this only has to outlast the test's reaction on a busy machine.
 */
const HOLD_MS = 3000;
/**
 * Locks short enough for a quick takeover after SIGKILL (KAP_SYNC_LOCK_MS …, src/server/sync-tuning.ts),
 * long enough that a busy worker still renews them (every lockDurationMs / 2): a lock that lapses under
 * a live worker has its job run a second time beside the first, which then finds the record lock held
 * and is moved to `delayed`. The SIGTERM test keeps the production defaults (30 s).
 */
const LOCKS = { lockDurationMs: 5000, stalledIntervalMs: 1000, recordLockTtlMs: 5000 };
const CLINIC = 'clinic-a';

describe('kap-fhir worker: crash and shutdown', () => {
  let sandbox: RunningSandbox | undefined;
  let engine: SyncEngine | undefined;
  let child: ChildProcess | undefined;
  let prefix: string | undefined;
  let dir: string | undefined;

  /**
   * Starts the sandbox, this process's engine (it submits, and in the SIGKILL test takes over) and
   * `kap-fhir worker`; resolves once the worker printed its readiness line.
   * @param tuning - worker env on top of the production configuration
   * @returns the worker's output so far and after (stdout + stderr)
   */
  const start = async (tuning: Record<string, string>, locks: Partial<typeof LOCKS> = {}): Promise<{ output: () => string }> => {
    sandbox = await startSandbox();
    prefix = testPrefix();
    const target = { id: 'ehr-main', type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: 2 * HOLD_MS };
    // The worker process and this one share the keyring, as the service's processes do.
    const key = testKey();
    engine = createSyncEngine({
      redis: testRedisEndpoint(),
      prefix,
      codec: testCodec(key),
      targets: [{ ...target, clinicId: CLINIC }] as never,
      policy: { attempts: 5, backoffMs: 50 },
      ...locks,
    });
    dir = mkdtempSync(join(tmpdir(), 'kap-crash-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ clinics: [{ id: CLINIC, targets: [target] }] }));
    child = spawnNode(['bin/kap-fhir.js', 'worker', '--config', config], {
      ...testServiceRedisEnv(),
      REDIS_PREFIX: prefix,
      KAP_ENCRYPTION_KEY: key,
      NODE_ENV: 'development',
      ...tuning,
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitForOutput(child, READY);
    return { output: () => output };
  };

  /** The worker's first POST, once the sandbox has it (held for HOLD_MS). */
  const firstPost = async (): Promise<SandboxRequestRecord> => {
    await until(() => sandbox?.controls.requests.some((r) => r.method === 'POST') ?? false);
    const post = sandbox?.controls.requests.find((r) => r.method === 'POST');
    expect(post).toBeDefined();
    return post as SandboxRequestRecord;
  };

  afterEach(async () => {
    await killChild(child);
    child = undefined;
    await engine?.close();
    await sandbox?.close();
    if (prefix) {
      await cleanupPrefix(prefix);
    }
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
    [engine, sandbox, prefix, dir] = [undefined, undefined, undefined, undefined];
  });

  test(
    'SIGKILL mid-job: redone by another worker, no duplicate',
    async () => {
      await start(
        {
          KAP_SYNC_LOCK_MS: String(LOCKS.lockDurationMs),
          KAP_SYNC_STALLED_MS: String(LOCKS.stalledIntervalMs),
          KAP_SYNC_RECORD_LOCK_MS: String(LOCKS.recordLockTtlMs),
        },
        LOCKS
      );
      const s = { sandbox: sandbox as RunningSandbox, engine: engine as SyncEngine, child: child as ChildProcess };
      s.sandbox.controls.fail({ method: 'POST', path: '^/$', delayMs: HOLD_MS, times: 1 });
      const submission = syntheticSubmission({ clinicId: CLINIC, episodeId: 'ep-k', dosingSessions: 2 });
      const { jobIds } = await s.engine.submitEpisode(submission);
      const held = await firstPost();
      const exited = exitOf(s.child);
      s.child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      // Killed while its request was held, with the job still active (no other worker runs yet).
      expect(held.endedAt).toBeUndefined();
      expect((await s.engine.jobStatus(jobIds[0]))?.state).toBe('active');
      // The dead worker's request is answered before another worker exists: the redo cannot overlap it.
      await until(() => held.endedAt !== undefined);
      // Another worker (this process) takes the stalled job over once the dead one's locks lapse.
      await s.engine.startWorkers();
      const [status] = await s.engine.settle(jobIds, SETTLE_TIMEOUT_MS);
      expect(status.state).toBe('completed');
      expect(status.result?.status).toBe('delivered');
      const posts = s.sandbox.controls.requests.filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThanOrEqual(2);
      await until(() => posts.every((r) => r.endedAt !== undefined));
      for (const { type, token } of entryKeys(submission.bundle)) {
        const i = token.lastIndexOf('|');
        expect({ token, n: await countByIdentifier(s.sandbox.controls, type, token.slice(0, i), token.slice(i + 1)) }).toEqual({ token, n: 1 });
      }
      expect((await s.sandbox.controls.find<Resource>('MedicationAdministration')).length).toBe(2);
    },
    CHILD_TEST_TIMEOUT_MS
  );

  test(
    'SIGTERM: the in-flight job is finished before the worker exits; its logs hold no PHI',
    async () => {
      const { output } = await start({ LOG_LEVEL: 'info' });
      const s = { sandbox: sandbox as RunningSandbox, engine: engine as SyncEngine, child: child as ChildProcess };
      s.sandbox.controls.fail({ method: 'POST', path: '^/$', delayMs: HOLD_MS, times: 1 });
      const { jobIds } = await s.engine.submitEpisode(syntheticSubmission({ clinicId: CLINIC, episodeId: 'ep-t' }));
      const held = await firstPost();
      const exited = exitOf(s.child);
      s.child.kill('SIGTERM');
      const sentWhileHeld = held.endedAt === undefined;
      expect(await exited).toEqual({ code: 0, signal: null });
      // The signal came while the request was held, and the worker waited for the whole delivery.
      expect(sentWhileHeld).toBe(true);
      const status = await s.engine.jobStatus(jobIds[0]);
      expect(status?.state).toBe('completed');
      expect(status?.result?.status).toBe('delivered');
      // Every request of the delivery (its dependency waves) was answered; none was sent twice.
      const posts = s.sandbox.controls.requests.filter((r) => r.method === 'POST');
      expect(posts.every((r) => r.status === 200)).toBe(true);
      expect(posts[0].faultId).toBeDefined();
      expect(status?.attemptsMade).toBe(1);
      // The worker logged the delivery (ids, codes, counts) and nothing of the patient.
      const logs = output();
      expect(logs).toContain('"msg":"delivered"');
      for (const phi of ['Testperson', 'Fictional', '1980-01-01', 'pat-ep-t', 'identifier=', '%7C']) {
        expect({ phi, found: logs.includes(phi) }).toEqual({ phi, found: false });
      }
    },
    CHILD_TEST_TIMEOUT_MS
  );
});
