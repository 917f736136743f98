/**
 * Key rotation of the data kept at rest, through the real service (real Redis, the sandbox EHR over
 * HTTP) and the `kap-fhir rekey` command, on one key prefix:
 * 1. the service with key A keeps an episode, a dead letter (its payload pinned) and an idempotency
 *    record; an episode of the former v1 format (sealed with A) and a payload written in clear before
 *    encryption at rest are there too;
 * 2. the service with key B and A as previous key reads all of them (PUT, add a session to the v1
 *    episode, list the dead letters, replay the idempotent answer); `rekey --check` finds A's records;
 * 3. `rekey` re-seals every one with B; `--check` then finds nothing;
 * 4. the service with B alone (A dropped) still reads all of them and delivers the replayed dead letter.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { hashApiKey } from '../../src/api/auth.js';
import { episodeHash } from '../../src/pipeline/submit-episode.js';
import { rekeyCommand } from '../../src/cli/rekey.js';
import { keyId, sealedKeyId } from '../../src/crypto/at-rest-codec.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { exampleEpisodes, testServiceConfig } from './api-harness.js';
import { testCodec, testKey } from './helpers/codec.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from './helpers/redis.js';
import { startSandbox, type RunningSandbox } from './helpers/sandbox.js';

type Json = Record<string, unknown>;

const A = testKey();
const B = testKey();
const API_KEY = `key-rot-${randomBytes(8).toString('hex')}`;
const IDEM = { 'idempotency-key': 'rotation-idem-1' };

let sandbox: RunningSandbox;
let prefix: string;
let redis: Redis;
let service: RunningService | undefined;
let configDir: string;

const episode = (id: string, version: number): Json => ({
  ...structuredClone((exampleEpisodes().find(([n]) => n.startsWith('iv-ketamine')) ?? exampleEpisodes()[0])?.[1] ?? {}),
  id,
  version,
});

/** The episode store's former format (src/api/episode-cipher.ts, removed): `v1.<iv>.<tag>.<body>`, AAD `<clinic>/<id>`. */
function sealV1(key: string, plain: string, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

/** The service on the shared prefix with a keyring. */
async function start(encryptionKey: string, encryptionKeysPrevious: string[] = []): Promise<RunningService> {
  const config = testServiceConfig(prefix, {
    clinics: [
      {
        id: 'clinic-a',
        apiKeySha256: [hashApiKey(API_KEY)],
        targets: [{ id: 'a-ehr', type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, transaction: 'never' }],
      },
    ],
    sandbox: false,
    encryptionKey,
    encryptionKeysPrevious,
  });
  return startService({ config, api: true, workers: true, createSync: createServiceSyncEngine, env: {} });
}

async function call(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${API_KEY}`, ...init.headers };
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
  }
  return fetch(`${service?.url}${path}`, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : undefined });
}

async function settle(jobId: string): Promise<Json> {
  for (;;) {
    const body = (await (await call(`/v1/jobs/${encodeURIComponent(jobId)}`)).json()) as Json;
    if (body.state === 'completed' || body.state === 'failed') {
      return body;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const session = (id: string): Json => ({ id, kind: 'integration', start: '2026-06-01T10:00:00-04:00', practitionerIds: ['pr-md-1'] });

const ehrJob = async (res: Response): Promise<string> => ((await res.json()) as { jobIds: string[] }).jobIds.find((j) => j.startsWith('ehr_')) as string;

/** Runs `kap-fhir rekey` with a config file holding the keyring. */
async function runRekey(current: string, previous: string[], ...args: string[]): Promise<number> {
  const file = join(configDir, `config-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify({ redisUrl: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`, redisPrefix: prefix, encryptionKey: current, encryptionKeysPrevious: previous }));
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = process.stderr.write = (() => true) as typeof process.stdout.write;
  try {
    return await rekeyCommand(['--config', file, ...args]);
  } finally {
    [process.stdout.write, process.stderr.write] = [out, err];
  }
}

/** The key ids of every sealed value of the four sealed families. */
async function sealedKeyIds(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const family of ['api:episode:', 'sync:payload:', 'sync:dead:', 'api:idem:']) {
    const ids = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:${family}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const value = family === 'api:episode:' ? await redis.hget(key, 'data') : await redis.get(key);
        ids.add(value ? (sealedKeyId(value) ?? value.slice(0, 2)) : 'gone');
      }
    } while (cursor !== '0');
    out[family] = [...ids].sort();
  }
  return out;
}

const CLEAR_BUNDLE = JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] });
let CLEAR_PAYLOAD: string;
let deadJob: string;
let idemAnswer: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  prefix = testPrefix();
  CLEAR_PAYLOAD = `${prefix}:sync:payload:clinic-a:episode-ep-clear-v1`;
  redis = new Redis(TEST_REDIS);
  configDir = mkdtempSync(join(tmpdir(), 'kap-rekey-'));
});

afterAll(async () => {
  await service?.close();
  await sandbox?.close();
  redis?.disconnect();
  await cleanupPrefix(prefix);
  rmSync(configDir, { recursive: true, force: true });
});

describe('key rotation: A → B (A previous) → rekey → B alone', () => {
  test('1. key A: an episode, a dead letter with its payload, an idempotency record; a v1 episode', async () => {
    service = await start(A);
    const first = await call('/v1/episodes', { method: 'POST', json: episode('ep-rot-1', 1) });
    expect(first.status).toBe(202);
    expect((await settle(await ehrJob(first))).state).toBe('completed');
    sandbox.controls.fail({ path: '^/EpisodeOfCare', status: 400 });
    const refused = await call('/v1/episodes', { method: 'POST', json: episode('ep-rot-2', 1) });
    deadJob = await ehrJob(refused);
    expect((await settle(deadJob)).state).toBe('failed');
    sandbox.controls.clearFaults();
    const idem = await call('/v1/episodes', { method: 'POST', json: episode('ep-rot-3', 1), headers: IDEM });
    expect(idem.status).toBe(202);
    idemAnswer = await idem.text();
    await settle(((JSON.parse(idemAnswer) as { jobIds: string[] }).jobIds)[0] as string);
    await service.close();
    service = undefined;
    // What the service kept before the v2 format: an episode sealed as v1 with A.
    const legacy = episode('ep-legacy', 1);
    await redis.hset(`${prefix}:api:episode:clinic-a:ep-legacy`, { version: '1', data: sealV1(A, JSON.stringify(legacy), 'clinic-a/ep-legacy'), hash: episodeHash(legacy) });
    // And a payload written in clear before encryption at rest (with a TTL).
    await redis.set(CLEAR_PAYLOAD, CLEAR_BUNDLE, 'EX', 3600);
    const a = keyId(Buffer.from(A, 'base64'));
    expect(await sealedKeyIds()).toEqual({ 'api:episode:': [a, 'v1'].sort(), 'sync:payload:': [a, '{"'].sort(), 'sync:dead:': [a], 'api:idem:': [a] });
  });

  test('2. key B with A as previous: every record A sealed is read; rekey --check finds them', async () => {
    service = await start(B, [A]);
    const dead = (await (await call('/v1/dead-letters')).json()) as { items: { id: string; status?: number }[] };
    expect(dead.items.map((d) => [d.id, d.status])).toEqual([[deadJob, 400]]);
    const replayed = await call('/v1/episodes', { method: 'POST', json: episode('ep-rot-3', 1), headers: IDEM });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await replayed.text()).toBe(idemAnswer);
    const put = await call('/v1/episodes/ep-rot-1', { method: 'PUT', json: episode('ep-rot-1', 2) });
    expect(put.status).toBe(202);
    expect((await settle(await ehrJob(put))).state).toBe('completed');
    // Adding a session reads the kept episode: here the v1 one, sealed with A.
    const added = await call('/v1/episodes/ep-legacy/sessions', { method: 'POST', json: session('s-rot-1') });
    expect(added.status).toBe(202);
    expect(((await added.clone().json()) as { version: number }).version).toBe(2);
    expect((await settle(await ehrJob(added))).state).toBe('completed');
    await service.close();
    service = undefined;
    expect(await runRekey(B, [A], '--check')).toBe(1);
    expect(await runRekey(B, [], '--check')).toBe(1); // without A: unreadable
  });

  test('3. rekey re-seals every record with B; --check then finds nothing', async () => {
    expect(await runRekey(B, [A])).toBe(0);
    expect(await runRekey(B, [], '--check')).toBe(0);
    const b = keyId(Buffer.from(B, 'base64'));
    expect(await sealedKeyIds()).toEqual({ 'api:episode:': [b], 'sync:payload:': [b], 'sync:dead:': [b], 'api:idem:': [b] });
    // The clear payload is sealed now, bound to its key, and keeps its TTL.
    const sealed = (await redis.get(CLEAR_PAYLOAD)) as string;
    expect(testCodec(B).open(sealed, CLEAR_PAYLOAD.slice(prefix.length + 1))).toBe(CLEAR_BUNDLE);
    expect(await redis.ttl(CLEAR_PAYLOAD)).toBeGreaterThan(3000);
  });

  test('4. key B alone: everything still reads; the dead letter is replayed and delivered', async () => {
    service = await start(B);
    const replayed = await call('/v1/episodes', { method: 'POST', json: episode('ep-rot-3', 1), headers: IDEM });
    expect(await replayed.text()).toBe(idemAnswer);
    // ep-rot-3 was kept with A and re-sealed by rekey only.
    const added = await call('/v1/episodes/ep-rot-3/sessions', { method: 'POST', json: session('s-rot-2') });
    expect(added.status).toBe(202);
    expect(((await added.json()) as { version: number }).version).toBe(2);
    const dead = (await (await call('/v1/dead-letters')).json()) as { items: { id: string }[] };
    expect(dead.items.map((d) => d.id)).toEqual([deadJob]);
    expect((await call(`/v1/dead-letters/${encodeURIComponent(deadJob)}/replay`, { method: 'POST' })).status).toBe(202);
    const done = await settle(deadJob);
    expect(done.state).toBe('completed');
    expect((done.result as { status: string }).status).toBe('delivered');
  });
});
