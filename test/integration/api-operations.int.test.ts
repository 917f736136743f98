/**
 * Operations on the real service: probes, metrics, the queue dashboard (admin only), OpenAPI and
 * the docs page, helmet headers, unknown routes, the per-clinic rate limit held in Redis across two
 * instances, configuration errors, the embedded Redis, and the demo defaults (`npm start`).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index.js';
import { ConfigError, configSchema, loadConfig } from '../../src/config/service-config.js';
import { ensureRedis, probeRedis, RedisUnavailableError } from '../../src/server/embedded-redis.js';
import { startService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { exampleEpisodes, settleJob, startApiHarness, testServiceConfig, type ApiHarness } from './api-harness.js';
import { cleanupPrefix, testPrefix } from './helpers/redis.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('probes, metrics, dashboard, docs', () => {
  test('/health and /ready answer without credentials', async () => {
    const health = await h.call('/health', { as: 'none' });
    expect(health.status).toBe(200);
    const ready = await h.call('/ready', { as: 'none' });
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { redis: string; profiles: number };
    expect(body.redis).toBe('ok');
    expect(body.profiles).toBeGreaterThan(10);
  });

  test('helmet headers are set and X-Request-Id is echoed or made', async () => {
    const res = await h.call('/health', { as: 'none', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const made = await h.call('/health', { as: 'none', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown route → 404 OperationOutcome', async () => {
    const res = await h.call('/nowhere', { as: 'none' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
  });

  test('/metrics: admin only; counts requests by route and status, validation failures, jobs by queue', async () => {
    expect((await h.call('/metrics', { as: 'none' })).status).toBe(401);
    expect((await h.call('/metrics', { as: 'a' })).status).toBe(403);
    await h.call('/v1/episodes', { method: 'POST', json: { id: 'x' } }); // a 422
    const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const posted = await h.call('/v1/episodes', { method: 'POST', json: episode });
    expect(posted.status).toBe(202);
    const ehrJob = ((await posted.json()) as { jobIds: string[] }).jobIds.find((j) => j.startsWith('ehr_')) as string;
    expect((await settleJob(h, ehrJob)).state).toBe('completed');
    const res = await h.call('/metrics', { as: 'admin' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/kap_http_requests_total\{method="POST",route="\/v1\/episodes",status="202"\} \d+/);
    expect(text).toMatch(/kap_validation_failures_total\{source="schema"\} [1-9]/);
    expect(text).toMatch(/kap_jobs\{queue="ehr-sync-a-ehr",state="[a-z]+"\} \d+/);
    // Samples, not only the HELP/TYPE lines: the completed job is observed by this very scrape.
    expect(text).toMatch(/kap_delivery_latency_seconds_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/^kap_dead_letters(\{[^}]*\})? \d+$/m);
  });

  test('/admin/queues: 401 without key (Basic challenge), 403 for a clinic, the dashboard for an admin', async () => {
    const none = await h.call('/admin/queues', { as: 'none' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    expect((await h.call('/admin/queues', { as: 'a' })).status).toBe(403);
    const admin = await h.call('/admin/queues', { as: 'admin' });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('kap-fhir queues');
    const basic = Buffer.from(`ops:${h.keys.admin}`).toString('base64');
    const api = await h.call('/admin/queues/api/queues', { as: 'none', headers: { authorization: `Basic ${basic}` } });
    expect(api.status).toBe(200);
    const queues = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(queues).toContain('ehr-sync-a-ehr');
  });

  test('/openapi.json is generated from the zod schemas; /docs is a self-contained page', async () => {
    const res = await h.call('/openapi.json', { as: 'none' });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/episodes', '/v1/jobs/{id}', '/fhir/$validate', '/fhir/metadata']));
    const episode = doc.components.schemas.KapEpisode as { properties?: Record<string, unknown> };
    expect(Object.keys(episode.properties ?? {})).toEqual(expect.arrayContaining(['patient', 'sessions', 'careTeam']));
    const docs = await h.call('/docs', { as: 'none' });
    const html = await docs.text();
    expect(html).toContain('/docs/docs.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await h.call('/docs/docs.js', { as: 'none' })).status).toBe(200);
  });
});

describe('rate limit per clinic, held in Redis across instances', () => {
  test('the 4th request in the window → 429 with Retry-After, also on a second instance', async () => {
    const limited = await startApiHarness({ rateLimitPerWindow: 3, rateLimitWindowSeconds: 60 });
    try {
      // A second instance on the same Redis and prefix shares the counter.
      const second = await startService({ config: limited.config, api: true, workers: false, createSync: createServiceSyncEngine, env: {} });
      try {
        const auth = { authorization: `Bearer ${limited.keys.a}` };
        expect((await limited.call('/v1/dead-letters')).status).toBe(200);
        expect((await fetch(`${second.url}/v1/dead-letters`, { headers: auth })).status).toBe(200);
        expect((await limited.call('/v1/dead-letters')).status).toBe(200);
        const res = await fetch(`${second.url}/v1/dead-letters`, { headers: auth });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as OperationOutcome).issue?.[0]?.code).toBe('throttled');
      } finally {
        await second.close();
      }
      // Clinic B has its own budget.
      expect((await limited.call('/v1/dead-letters', { as: 'b' })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('configuration', () => {
  test('defaults: PORT 8080, REDIS_URL redis://127.0.0.1:6379', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.redisUrlExplicit).toBe(false);
    expect(c.bodyLimit).toBe('5mb');
  });

  test('bad values → one readable line per setting, naming the env variable and not the value', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://secret-host:1' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('port (env PORT)');
    expect(message).toContain('redisUrl (env REDIS_URL)');
    expect(message).not.toContain('secret-host');
  });

  test('NODE_ENV=production refuses the embedded defaults', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/REDIS_URL.*\n.*KAP_ENCRYPTION_KEY.*\n.*clinics/s);
  });

  test('a missing config file is named with the reason', () => {
    expect(() => loadConfig({}, '/nonexistent/kap.json')).toThrow('config file /nonexistent/kap.json: cannot be read (ENOENT)');
  });
});

describe('embedded Redis', () => {
  test('nothing answers and redis-server is on PATH → a private one with AOF, stopped with the service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-redis-'));
    // A free port stands for "nothing answers at the default address".
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const handle = await ensureRedis({ url: 'redis://127.0.0.1:6379', explicit: false, allowEmbedded: true, dir, defaultPort: port });
    try {
      expect(handle.embedded).toBe(true);
      expect(handle.url).toBe(`redis://127.0.0.1:${port}`);
      expect(await probeRedis('127.0.0.1', port)).toBe('pong');
      const { Redis } = await import('ioredis');
      const r = new Redis(handle.url);
      expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      r.disconnect();
    } finally {
      await handle.stop();
    }
    expect(await probeRedis('127.0.0.1', port)).toBe('refused');
    expect(existsSync(join(dir, 'appendonlydir'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a configured REDIS_URL that does not answer → a readable error, no stack', async () => {
    const config = configSchema.parse({ port: 0, redisUrl: 'redis://127.0.0.1:1', redisUrlExplicit: true, encryptionKey: randomBytes(32).toString('base64') });
    const err = await startService({ config, api: true, workers: false, createSync: createServiceSyncEngine, env: { KAP_DEMO_API_KEY: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain('Redis at 127.0.0.1:1 does not answer');
  });

  test('no Redis and no redis-server → a message naming the OS package and docker compose', async () => {
    const err = await ensureRedis({ url: 'redis://127.0.0.1:6379', explicit: false, allowEmbedded: true, defaultPort: 1, pathVar: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain('apt-get install redis-server');
    expect((err as Error).message).toContain('docker compose up -d redis');
  });
});

describe('embedded defaults (what `npm start` runs)', () => {
  test('demo clinic with the key from KAP_DEMO_API_KEY, sandbox EHR mounted at /sandbox/fhir', async () => {
    const prefix = testPrefix();
    const apiKey = `demo-${randomBytes(6).toString('hex')}`;
    const config = testServiceConfig(prefix);
    const service = await startService({
      config,
      api: true,
      workers: true,
      createSync: createServiceSyncEngine,
      createSandbox: () => createSandbox().app,
      env: { KAP_DEMO_API_KEY: apiKey },
    });
    try {
      expect(service.demo?.apiKey).toBe(apiKey);
      expect(service.demo?.adminKey).toMatch(/^kap_admin_/);
      const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
      const res = await fetch(`${service.url}/v1/episodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(episode),
      });
      expect(res.status).toBe(202);
      const { jobIds } = (await res.json()) as { jobIds: string[] };
      const statuses = await service.sync.jobStatus(jobIds[0] as string);
      expect(statuses?.id).toBe(jobIds[0]);
      const system = clinicIdentifierSystem(service.demo?.clinicId as string);
      const patientId = (episode.patient as { id: string }).id;
      let total = 0;
      for (let i = 0; i < 600 && total === 0; i++) {
        const search = await fetch(`${service.url}/sandbox/fhir/Patient?identifier=${encodeURIComponent(`${system}|${patientId}`)}`);
        total = ((await search.json()) as { entry?: unknown[] }).entry?.length ?? 0;
        if (total === 0) {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(total).toBe(1);
    } finally {
      await service.close();
      await cleanupPrefix(prefix);
    }
  });
});

describe('dead letters', () => {
  test('a job the EHR refuses (4xx) is listed for its clinic only, and replay sends it again', async () => {
    const fault = h.sandbox.controls.fail({ path: '^/EpisodeOfCare', status: 422 });
    const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const res = await h.call('/v1/episodes', { method: 'POST', json: { ...json, id: 'ep-dead-1', version: 1 } });
    expect(res.status).toBe(202);
    const jobId = ((await res.json()) as { jobIds: string[] }).jobIds.find((j) => j.startsWith('ehr_')) as string;
    const failed = await settleJob(h, jobId);
    expect(failed.state).toBe('failed');
    const list = (await (await h.call('/v1/dead-letters')).json()) as { total: number; items: { id: string; code: string }[] };
    expect(list.items.map((d) => d.id)).toContain(jobId);
    expect(((await (await h.call('/v1/dead-letters', { as: 'b' })).json()) as { total: number }).total).toBe(0);
    expect((await h.call(`/v1/dead-letters/${jobId}/replay`, { method: 'POST', as: 'b' })).status).toBe(404);
    const metrics = await (await h.call('/metrics', { as: 'admin' })).text();
    expect(metrics).toMatch(/^kap_dead_letters(\{[^}]*\})? [1-9]/m);
    h.sandbox.controls.clearFaults();
    void fault;
    const replay = await h.call(`/v1/dead-letters/${jobId}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    const replayed = ((await replay.json()) as { jobId: string }).jobId;
    expect((await settleJob(h, replayed)).state).toBe('completed');
  });
});

describe('JWT', () => {
  test('a JWT from the configured JWKS carries the clinic (and the admin role); a bad one → 401', async () => {
    const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
    const { writeFileSync } = await import('node:fs');
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const dir = mkdtempSync(join(tmpdir(), 'kap-jwks-'));
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
    const jwtHarness = await startApiHarness({
      jwt: { jwksFile, issuer: 'https://idp.example', audience: 'kap-fhir', clinicClaim: 'clinic_id', rolesClaim: 'roles' },
    });
    try {
      const sign = (claims: Record<string, unknown>, issuer = 'https://idp.example') =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience('kap-fhir').setExpirationTime('5m').sign(privateKey);
      const clinic = await sign({ clinic_id: 'clinic-a' });
      const asClinic = await fetch(`${jwtHarness.url}/v1/dead-letters`, { headers: { authorization: `Bearer ${clinic}` } });
      expect(asClinic.status).toBe(200);
      expect((await fetch(`${jwtHarness.url}/metrics`, { headers: { authorization: `Bearer ${clinic}` } })).status).toBe(403);
      const admin = await sign({ roles: ['admin'] });
      expect((await fetch(`${jwtHarness.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
      const otherIssuer = await sign({ clinic_id: 'clinic-a' }, 'https://evil.example');
      expect((await fetch(`${jwtHarness.url}/v1/dead-letters`, { headers: { authorization: `Bearer ${otherIssuer}` } })).status).toBe(401);
    } finally {
      await jwtHarness.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('serve and worker apart (scale-out)', () => {
  test('an API without workers enqueues; a worker-only instance delivers', async () => {
    // Its own prefix: no other worker sees these queues.
    const config = { ...h.config, redisPrefix: testPrefix() };
    const api = await startService({ config, api: true, workers: false, createSync: createServiceSyncEngine, env: {} });
    try {
      const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
      const res = await fetch(`${api.url}/v1/episodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.keys.b}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...json, id: 'ep-split-1', version: 1 }),
      });
      expect(res.status).toBe(202);
      const jobId = ((await res.json()) as { jobIds: string[] }).jobIds[0] as string;
      expect((await api.sync.jobStatus(jobId, 'clinic-b'))?.state).toBe('waiting');
      // What `kap-fhir worker` starts.
      const worker = await startService({ config, api: false, workers: true, createSync: createServiceSyncEngine, env: {} });
      try {
        expect(worker.url).toBeUndefined();
        for (let i = 0; i < 400; i++) {
          const status = await worker.sync.jobStatus(jobId, 'clinic-b');
          if (status?.state === 'completed' || status?.state === 'failed') {
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        expect((await worker.sync.jobStatus(jobId, 'clinic-b'))?.state).toBe('completed');
        expect(await h.sandbox.controls.find('EpisodeOfCare', `${clinicIdentifierSystem('clinic-b')}|ep-split-1`)).toHaveLength(1);
      } finally {
        await worker.close();
      }
    } finally {
      await api.close();
      await cleanupPrefix(config.redisPrefix);
    }
  });
});
