/**
 * The sync engine's payloads and dead letters are sealed at rest (src/crypto/at-rest-codec.ts): the
 * Bundle is not in clear in Redis and is delivered as submitted; a payload bound to another key
 * (moved) does not open; a worker whose keyring lacks the key that sealed a payload dead-letters it
 * as `payload-unreadable` (pinned, nothing sent), and a replay by a worker with that key (a previous
 * key after a rotation) delivers it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Patient } from '@medplum/fhirtypes';
import { keyId, sealedKeyId } from '../../src/crypto/at-rest-codec.js';
import { createSyncEngine, type SyncEngine } from '../../queues/sync-engine.js';
import { testCodec, testKey } from './helpers/codec.js';
import { keysMatching, testRedisClient, testRedisEndpoint } from './helpers/redis.js';
import type { RedisClient } from '../../src/redis-client.js';
import { syntheticEpisode, syntheticSubmission } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

const A = testKey();
const B = testKey();

describe('sync payloads and dead letters at rest', () => {
  let h: SyncHarness;
  let redis: RedisClient;
  const engines: SyncEngine[] = [];
  /** Another engine on the harness's prefix and target, with its own keyring. */
  const engineWith = (current: string, previous: string[] = []): SyncEngine => {
    const e = createSyncEngine({
      redis: testRedisEndpoint(),
      prefix: h.prefix,
      codec: testCodec(current, previous),
      policy: { attempts: 2, backoffMs: 50 },
      lockRetryMs: 50,
      targets: h.engine.targets.map((t) => ({ ...t })),
    });
    engines.push(e);
    return e;
  };

  beforeAll(async () => {
    h = await startSyncHarness({ workers: false, engine: { codec: testCodec(A) } });
    redis = testRedisClient();
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    redis.disconnect();
    await h.close();
  });

  test('the payload is sealed with the current key, bound to its key, and delivered as submitted', async () => {
    const bundle = syntheticEpisode({ clinicId: h.clinicId, episodeId: 'ep-sealed' });
    const family = (bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient).name?.[0]?.family as string;
    const { jobIds } = await h.engine.submitEpisode({ clinicId: h.clinicId, episodeId: 'ep-sealed', version: 1, bundle });
    const job = await h.engine.jobStatus(jobIds[0] as string);
    const keys = await keysMatching(redis, `${h.prefix}:sync:payload:*`);
    expect(keys).toHaveLength(1);
    const key = keys[0] as string;
    const stored = (await redis.get(key)) as string;
    expect(sealedKeyId(stored)).toBe(keyId(Buffer.from(A, 'base64')));
    expect(stored).not.toContain(family);
    expect(await h.engine.store.getPayload(key)).toEqual(bundle);
    // Moved under another record's key, it does not open.
    expect(() => h.engine.store.openPayload(`${h.prefix}:sync:payload:clinic-b:episode-x-v1`, stored)).toThrow('payload-unreadable');
    await h.engine.startWorkers();
    const [s] = await h.engine.settle([job?.id as string]);
    expect(s?.result?.status).toBe('delivered');
    const patients = await h.sandbox.controls.find<Patient>('Patient');
    expect(patients.some((p) => p.name?.[0]?.family === family)).toBe(true);
  });

  test('a worker without the key that sealed the payload: dead letter payload-unreadable (sealed too); with the key back: replay delivers', async () => {
    await h.engine.close(); // its workers hold key A
    const submitter = engineWith(A);
    const { jobIds } = await submitter.submitEpisode(syntheticSubmission({ clinicId: h.clinicId, episodeId: 'ep-rotated' }));
    const jobId = jobIds[0] as string;
    const requestsBefore = h.sandbox.controls.requests.length;
    // B alone (A dropped too early): nothing can be sent.
    const withoutA = engineWith(B);
    await withoutA.startWorkers();
    const [failed] = await withoutA.settle([jobId]);
    expect(failed?.state).toBe('failed');
    expect(failed?.deadLetter?.code).toBe('payload-unreadable');
    expect(h.sandbox.controls.requests.length).toBe(requestsBefore);
    const dead = (await redis.get(`${h.prefix}:sync:dead:${jobId}`)) as string;
    expect(sealedKeyId(dead)).toBe(keyId(Buffer.from(B, 'base64')));
    expect(dead).not.toContain('payload-unreadable');
    await withoutA.close();
    // B with A as previous key: the replay opens the pinned payload and delivers it.
    const rotated = engineWith(B, [A]);
    await rotated.startWorkers();
    expect((await rotated.listDeadLetters(h.clinicId)).map((d) => d.jobId)).toEqual([jobId]);
    await rotated.replay(jobId, h.clinicId);
    const [done] = await rotated.settle([jobId]);
    expect(done?.result?.status).toBe('delivered');
  });
});
