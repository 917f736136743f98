/**
 * Security review (issue 10), the worker's clinic check: a job on one clinic's queue that names
 * another clinic's payload (or claims another clinic, or whose stored Bundle is another clinic's) is
 * dead-lettered at once with `payload-clinic-mismatch` and nothing is sent. A real engine on real
 * Redis, the sandbox EHR over HTTP; the jobs are added by hand, as a dashboard or a Redis writer could.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Queue } from 'bullmq';
import { deliveryJobId } from '../../queues/delivery-queue.js';
import type { DeliveryJob, DeliveryResult } from '../../src/sync/delivery.js';
import { syntheticEpisode } from '../integration/helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from '../integration/helpers/sync-harness.js';
import { TARGET_TIMEOUT_MS } from '../helpers/timeouts.js';

let h: SyncHarness;
let queueB: Queue<DeliveryJob, DeliveryResult>;

beforeAll(async () => {
  h = await startSyncHarness({
    extraTargets: (sandbox) => [{ id: 'ehr-b', clinicId: 'clinic-b', type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: TARGET_TIMEOUT_MS }],
  });
  queueB = h.engine.queues().find((q) => q.name === 'ehr-sync-ehr-b') as Queue<DeliveryJob, DeliveryResult>;
});

afterAll(async () => {
  await h?.close();
});

/** Adds a job by hand to clinic B's EHR queue (a job id of the engine's own form) and waits for its end. */
async function addToB(recordId: string, data: Partial<DeliveryJob>) {
  const jobId = deliveryJobId('ehr-sync', 'ehr-b', recordId, 1);
  await queueB.add(
    'episode' as never,
    { clinicId: 'clinic-b', targetId: 'ehr-b', recordType: 'episode', recordId, version: 1, payloadKey: '', ...data } as DeliveryJob,
    { jobId, attempts: 6, backoff: { type: 'fixed', delay: 50 }, removeOnFail: false }
  );
  const [status] = await h.engine.settle([jobId], 30000);
  return { jobId, status, dead: await h.engine.store.getDeadLetter(jobId) };
}

function writesAtSandbox(): number {
  return h.sandbox.controls.requests.filter((r) => r.method !== 'GET').length;
}

describe('a job naming another clinic\'s payload is refused before sending', () => {
  test('clinic B\'s queue, clinic A\'s payload key → dead letter payload-clinic-mismatch, no retry, nothing written', async () => {
    const keyA = await h.engine.store.putPayload('clinic-a', 'episode-ep-sec-a-v1', syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-sec-a' }));
    const writes = writesAtSandbox();
    const { status, dead } = await addToB('ep-sec-a', { payloadKey: keyA });
    expect(status?.state).toBe('failed');
    expect(status?.attemptsMade).toBe(1);
    expect(dead?.code).toBe('payload-clinic-mismatch');
    expect(writesAtSandbox()).toBe(writes);
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(0);
    // Clinic A's payload is not pinned by B's dead letter: it keeps its TTL.
    expect(await h.engine.store.redis.ttl(keyA)).toBeGreaterThan(0);
    // The dead letter is listed for the clinic of the queue (B), where it was added.
    expect((await h.engine.listDeadLetters('clinic-b')).map((d) => d.jobId)).toContain(dead?.jobId);
  });

  test('a job claiming clinic A on clinic B\'s target → payload-clinic-mismatch', async () => {
    const keyA = await h.engine.store.putPayload('clinic-a', 'episode-ep-sec-b-v1', syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-sec-b' }));
    const writes = writesAtSandbox();
    const { status, dead } = await addToB('ep-sec-b', { clinicId: 'clinic-a', payloadKey: keyA });
    expect(status?.state).toBe('failed');
    expect(status?.attemptsMade).toBe(1);
    expect(dead?.code).toBe('payload-clinic-mismatch');
    expect(writesAtSandbox()).toBe(writes);
  });

  test('a payload under clinic B\'s key holding clinic A\'s Bundle → payload-clinic-mismatch', async () => {
    const keyB = await h.engine.store.putPayload('clinic-b', 'episode-ep-sec-c-v1', syntheticEpisode({ clinicId: 'clinic-a', episodeId: 'ep-sec-c' }));
    const writes = writesAtSandbox();
    const { status, dead } = await addToB('ep-sec-c', { payloadKey: keyB });
    expect(status?.state).toBe('failed');
    expect(status?.attemptsMade).toBe(1);
    expect(dead?.code).toBe('payload-clinic-mismatch');
    expect(writesAtSandbox()).toBe(writes);
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(0);
  });

  test('a payload key outside the engine\'s payloads → payload-clinic-mismatch', async () => {
    const { status, dead } = await addToB('ep-sec-d', { payloadKey: `${h.prefix}:api:episode:clinic-b:ep-sec-d` });
    expect(status?.state).toBe('failed');
    expect(dead?.code).toBe('payload-clinic-mismatch');
  });

  test('clinic B\'s own payload on its own queue is delivered', async () => {
    const keyB = await h.engine.store.putPayload('clinic-b', 'episode-ep-sec-ok-v1', syntheticEpisode({ clinicId: 'clinic-b', episodeId: 'ep-sec-ok' }));
    const { status, dead } = await addToB('ep-sec-ok', { payloadKey: keyB });
    expect(dead).toBeUndefined();
    expect(status?.state).toBe('completed');
    expect(status?.result?.status).toBe('delivered');
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(1);
  });
});
