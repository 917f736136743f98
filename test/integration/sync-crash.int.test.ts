/**
 * A real worker process (queues/worker.ts, spawned with the project's Node) killed with SIGKILL in
 * the middle of a delivery: another worker takes the stalled job over and the target ends with no
 * duplicate. And SIGTERM: the worker finishes its in-flight job before exiting.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import type { Resource } from '@medplum/fhirtypes';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.js';
import { countByIdentifier, spawnTs, startSandbox, syntheticEpisode, until, waitForOutput, type RunningSandbox } from './helpers/sandbox.js';
import { testCodec, testKey } from './helpers/codec.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from './helpers/redis.js';
import { entryKeys } from './helpers/sync-harness.js';

const LOCKS = { lockDurationMs: 1000, stalledIntervalMs: 500, recordLockTtlMs: 1500 };

describe('worker crash and shutdown', () => {
  let sandbox: RunningSandbox;
  let engine: SyncEngine;
  let child: ChildProcess | undefined;
  let prefix: string;

  const setup = async (): Promise<Record<string, string>> => {
    sandbox = await startSandbox();
    prefix = testPrefix();
    const targets = [{ id: 'ehr-main', clinicId: 'clinic-a', type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: 5000 }];
    // The worker process and this one share the keyring, as the service's processes do.
    const key = testKey();
    engine = createSyncEngine({ redis: TEST_REDIS, prefix, codec: testCodec(key), targets: targets as never, policy: { attempts: 5, backoffMs: 50 }, ...LOCKS });
    return {
      KAP_ENCRYPTION_KEY: key,
      KAP_SYNC_TARGETS: JSON.stringify(targets),
      KAP_SYNC_PREFIX: prefix,
      REDIS_HOST: TEST_REDIS.host,
      REDIS_PORT: String(TEST_REDIS.port),
      KAP_SYNC_LOCK_MS: String(LOCKS.lockDurationMs),
      KAP_SYNC_STALLED_MS: String(LOCKS.stalledIntervalMs),
      KAP_SYNC_RECORD_LOCK_MS: String(LOCKS.recordLockTtlMs),
    };
  };

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    child = undefined;
    await engine.close();
    await sandbox.close();
    await cleanupPrefix(prefix);
  });

  test('SIGKILL mid-job: redone by another worker, no duplicate', async () => {
    const env = await setup();
    child = spawnTs('queues/worker.ts', env);
    await waitForOutput(child, 'sync workers ready');
    sandbox.controls.fail({ method: 'POST', path: '^/$', delayMs: 1500, times: 1 });
    const bundle = syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-k', dosingSessions: 2 });
    const { jobIds } = await engine.submitEpisode(bundle, { clinicId: 'clinic-a' });
    await until(() => sandbox.controls.requests.some((r) => r.method === 'POST'));
    expect((await engine.jobStatus(jobIds[0]))?.state).toBe('active');
    const exited = new Promise((resolve) => child?.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Another worker (this process) takes the stalled job over once the dead one's locks lapse.
    await engine.startWorkers();
    const [s] = await engine.settle(jobIds, 30000);
    expect(s.state).toBe('completed');
    expect(s.result?.status).toBe('delivered');
    const posts = sandbox.controls.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    await until(() => posts.every((r) => r.endedAt !== undefined));
    for (const { type, token } of entryKeys(bundle)) {
      const i = token.lastIndexOf('|');
      expect({ token, n: await countByIdentifier(sandbox.controls, type, token.slice(0, i), token.slice(i + 1)) }).toEqual({ token, n: 1 });
    }
    expect((await sandbox.controls.find<Resource>('MedicationAdministration')).length).toBe(2);
  });

  test('SIGTERM: the in-flight job is finished before the worker exits; its logs hold no PHI', async () => {
    const env = await setup();
    child = spawnTs('queues/worker.ts', { ...env, LOG_LEVEL: 'info' });
    let logs = '';
    child.stdout?.on('data', (d: Buffer) => {
      logs += d.toString();
    });
    await waitForOutput(child, 'sync workers ready');
    sandbox.controls.fail({ method: 'POST', path: '^/$', delayMs: 800, times: 1 });
    const { jobIds } = await engine.submitEpisode(syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-t' }), { clinicId: 'clinic-a' });
    await until(() => sandbox.controls.requests.some((r) => r.method === 'POST'));
    const exited = new Promise((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const status = await engine.jobStatus(jobIds[0]);
    expect(status?.state).toBe('completed');
    expect(status?.result?.status).toBe('delivered');
    // Every request of the delivery (its dependency waves) was answered; none was sent twice.
    const posts = sandbox.controls.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.status === 200)).toBe(true);
    expect(posts[0].faultId).toBeDefined();
    expect(status?.attemptsMade).toBe(1);
    // The worker logged the delivery (ids, codes, counts) and nothing of the patient.
    expect(logs).toContain('"msg":"delivered"');
    for (const phi of ['Testperson', 'Fictional', '1980-01-01', 'pat-ep-t', 'identifier=', '%7C']) {
      expect({ phi, found: logs.includes(phi) }).toEqual({ phi, found: false });
    }
  });
});
