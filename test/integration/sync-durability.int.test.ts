/**
 * Durability of accepted submissions: a dead letter pins its payload (no TTL) until a replay is done;
 * a target answering 429 forever ends in a dead letter (Retry-After capped, waits beyond a number
 * count as attempts); a job BullMQ fails without running the processor (stalled too often) or that
 * fails before the write (Redis error in begin) still gets a dead letter; dosing deliveries are keyed
 * by episode and session (two episodes reusing a session id both reach the prescriber).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { Bundle, Identifier, MedicationAdministration } from '@medplum/fhirtypes';
import type { RedisClient } from '../../src/redis-client.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { syntheticEpisode, syntheticSubmission, until } from './helpers/sandbox.js';
import { testRedisClient } from './helpers/redis.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

const SECRET = 'whsec-test-only';

describe('sync durability', () => {
  let h: SyncHarness;
  let redis: RedisClient;
  const payloadKey = (name: string): string => `${h.prefix}:sync:payload:${h.clinicId}:${name}`;

  beforeAll(async () => {
    h = await startSyncHarness({
      workers: false,
      engine: { policy: { attempts: 3, backoffMs: 50 }, maxRetryAfterMs: 1500, maxRateLimitWaits: 2 },
      extraTargets: (sb) => [
        { id: 'rx-hook', clinicId: 'clinic-a', type: 'webhook', roles: ['prescriber'], url: `${sb.baseUrl}/_webhook/rx`, webhookSecret: SECRET },
      ],
    });
    h.sandbox.controls.webhookSecrets.set('rx', SECRET);
    redis = testRedisClient();
  });
  afterAll(async () => {
    redis.disconnect();
    await h.close();
  });
  beforeEach(() => {
    h.sandbox.controls.clearFaults();
  });

  test('two episodes reusing a dosing session id: both reach the prescriber', async () => {
    const withSession = (episodeId: string): Bundle => {
      const b = syntheticEpisode({ clinicId: h.clinicId, episodeId, dosingSessions: 1 });
      for (const e of b.entry ?? []) {
        if (e.resource?.resourceType === 'MedicationAdministration') {
          const ma = e.resource as MedicationAdministration;
          const ids: Identifier[] = ma.identifier ?? [];
          ids.filter((i) => i.system === clinicIdentifierSystem(h.clinicId)).forEach((i) => (i.value = 's-03'));
        }
      }
      return b;
    };
    const submit = (episodeId: string) => h.engine.submitEpisode({ clinicId: h.clinicId, episodeId, version: 1, bundle: withSession(episodeId) });
    const a = await submit('ep-da');
    const b = await submit('ep-db');
    const rx = [...a.jobIds, ...b.jobIds].filter((id) => id.startsWith('rx_'));
    expect(rx.sort()).toEqual(['rx_rx-hook_ep-da~s-03_v1', 'rx_rx-hook_ep-db~s-03_v1']);
    await h.engine.startWorkers(['prescriber-delivery']);
    const statuses = await h.engine.settle(rx);
    expect(statuses.map((s) => [s.id, s.recordId, s.result?.status])).toEqual([
      ['rx_rx-hook_ep-da~s-03_v1', 'ep-da~s-03', 'delivered'],
      ['rx_rx-hook_ep-db~s-03_v1', 'ep-db~s-03', 'delivered'],
    ]);
    const delivered = h.sandbox.controls.webhooks.filter((w) => w.name === 'rx').map((w) => w.headers['x-kap-delivery']);
    expect(delivered.sort()).toEqual(rx.sort());
  });

  test('a job BullMQ fails as stalled (processor never ran) gets a dead letter', async () => {
    const { jobIds } = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-stall' }));
    const id = jobIds.find((j) => j.startsWith('ehr_')) as string;
    // What moveStalledJobsToWait sets on a job stalled more than maxStalledCount: the next worker
    // to fetch it fails it without calling the processor.
    await redis.hset(`${h.prefix}:ehr-sync-ehr-main:${id}`, 'defa', 'job stalled more than allowable limit');
    await h.engine.startWorkers(['ehr-sync']);
    await until(async () => (await h.engine.jobStatus(id))?.deadLetter !== undefined);
    const s = await h.engine.jobStatus(id, h.clinicId);
    expect(s?.state).toBe('failed');
    expect(s?.deadLetter?.code).toBe('stalled');
    expect((await h.engine.listDeadLetters(h.clinicId)).map((d) => d.jobId)).toContain(id);
    expect(await redis.ttl(payloadKey('episode-ep-stall-v1'))).toBe(-1); // pinned
    // Replayable: delivered, the payload gets its TTL back.
    await h.engine.replay(id, h.clinicId);
    await until(async () => (await h.engine.jobStatus(id))?.state === 'completed');
    expect((await h.engine.jobStatus(id))?.result?.status).toBe('delivered');
    expect(await redis.ttl(payloadKey('episode-ep-stall-v1'))).toBeGreaterThan(0);
  });

  test('an error before the write (Redis, begin) is classified: dead letter after the last attempt', async () => {
    const store = h.engine.store;
    const begin = store.begin.bind(store);
    store.begin = async () => {
      throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    };
    try {
      const { jobIds } = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-begin' }));
      const id = jobIds.find((j) => j.startsWith('ehr_')) as string;
      const [s] = await h.engine.settle([id]);
      expect(s.state).toBe('failed');
      expect(s.attemptsMade).toBe(3);
      expect(s.deadLetter?.code).toBe('network-econnreset');
    } finally {
      store.begin = begin;
    }
  });

  test('429 with Retry-After within the cap: the first waits are free, later ones are attempts → dead letter, payload pinned', async () => {
    h.sandbox.controls.fail({ method: 'POST', path: '^/$', status: 429, retryAfterSeconds: 1 });
    const { jobIds } = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-rl' }));
    const id = jobIds.find((j) => j.startsWith('ehr_')) as string;
    const [s] = await h.engine.settle([id], 30000);
    expect(s.state).toBe('failed');
    expect(s.attemptsMade).toBe(3);
    expect(s.deadLetter?.code).toBe('http-429');
    const sent = h.sandbox.controls.requests.filter((r) => r.method === 'POST' && r.bundleIdentifier?.startsWith('episode-ep-rl-'));
    expect(sent.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]); // 2 free waits + 3 attempts
    expect(await redis.ttl(payloadKey('episode-ep-rl-v1'))).toBe(-1);
    h.sandbox.controls.clearFaults();
    await h.engine.replay(id, h.clinicId);
    await until(async () => (await h.engine.jobStatus(id))?.state === 'completed', 30000);
    expect(await redis.ttl(payloadKey('episode-ep-rl-v1'))).toBeGreaterThan(0);
  }, 60000);

  test('429 with a Retry-After above the cap: waits cut to the cap and count as attempts → dead letter', async () => {
    h.sandbox.controls.fail({ method: 'POST', path: '^/$', status: 429, retryAfterSeconds: 86400 });
    const started = Date.now();
    const { jobIds } = await h.engine.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-cap' }));
    const id = jobIds.find((j) => j.startsWith('ehr_')) as string;
    const [s] = await h.engine.settle([id], 30000);
    expect(s.state).toBe('failed');
    expect(s.attemptsMade).toBe(3);
    expect(s.deadLetter?.code).toBe('http-429');
    expect(Date.now() - started).toBeLessThan(20000);
  }, 60000);
});
