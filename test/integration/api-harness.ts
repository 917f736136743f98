/**
 * The HTTP service for the api-* integration tests: the real service (`startService`) on port 0
 * with real Redis (own key prefix, removed after) and the sandbox EHR as two clinics' EHR and
 * prescriber endpoint. Nothing is mocked.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../../src/api/auth.js';
import { configSchema, type ServiceConfig } from '../../src/config/service-config.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from './helpers/redis.js';
import { REPO_ROOT, startSandbox, type RunningSandbox } from './helpers/sandbox.js';

/** A running service with its sandbox and credentials. */
export interface ApiHarness {
  url: string;
  prefix: string;
  config: ServiceConfig;
  service: RunningService;
  sandbox: RunningSandbox;
  keys: { a: string; b: string; admin: string };
  /** fetch against the service with a credential (`a`, `b`, `admin` or none). */
  call(path: string, init?: RequestInit & { as?: 'a' | 'b' | 'admin' | 'none'; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A validated service configuration for tests: any free port on loopback, the test Redis under its
 * own prefix, a fresh encryption key; `extra` adds clinics, admin keys and the like.
 */
export function testServiceConfig(prefix: string, extra: Record<string, unknown> = {}): ServiceConfig {
  return configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    redisUrl: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`,
    redisUrlExplicit: true,
    redisPrefix: prefix,
    encryptionKey: randomBytes(32).toString('base64'),
    // map + validate in the test's thread (the worker-thread pool has its own test: test/security/)
    mapThreads: 0,
    ...extra,
  });
}

/** Starts the harness; `overrides` adjust the configuration (e.g. a low rate limit). */
export async function startApiHarness(overrides: Partial<ServiceConfig> = {}): Promise<ApiHarness> {
  const prefix = testPrefix();
  const sandbox = await startSandbox({ port: 0 });
  const keys = {
    a: `key-a-${randomBytes(8).toString('hex')}`,
    b: `key-b-${randomBytes(8).toString('hex')}`,
    admin: `key-admin-${randomBytes(8).toString('hex')}`,
  };
  const target = (id: string, roles: string[]) => ({ id, type: 'fhir', roles, url: sandbox.baseUrl, transaction: 'never' });
  const config = testServiceConfig(prefix, {
    clinics: [
      { id: 'clinic-a', apiKeySha256: [hashApiKey(keys.a), hashApiKey(`${keys.a}-rotated`)], targets: [target('a-ehr', ['ehr']), target('a-rx', ['prescriber', 'alerts'])] },
      { id: 'clinic-b', apiKeySha256: [hashApiKey(keys.b)], targets: [target('b-ehr', ['ehr'])] },
    ],
    adminApiKeySha256: [hashApiKey(keys.admin)],
    sandbox: false,
    ...overrides,
  });
  const service = await startService({ config, api: true, workers: true, createSync: createServiceSyncEngine, env: {} });
  const url = service.url as string;
  return {
    url,
    prefix,
    config,
    service,
    sandbox,
    keys,
    call(path, init = {}) {
      const { as = 'a', json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as !== 'none') {
        headers.set('authorization', `Bearer ${keys[as]}`);
      }
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
      }
      return fetch(`${url}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    async close() {
      await service.close();
      await sandbox.close();
      await cleanupPrefix(prefix);
    },
  };
}

/** The example episodes (examples/*.json) as [file name, parsed JSON]. */
export function exampleEpisodes(): [string, Record<string, unknown>][] {
  const dir = join(REPO_ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>]);
}

/** The invalid examples (examples/invalid/X.json with X.expected.json = { expression, code }). */
export function invalidExamples(): { name: string; body: unknown; expected: { expression: string; code?: string } }[] {
  const dir = join(REPO_ROOT, 'examples', 'invalid');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
    .sort()
    .map((f) => ({
      name: f,
      body: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown,
      expected: JSON.parse(readFileSync(join(dir, f.replace(/\.json$/, '.expected.json')), 'utf8')) as {
        expression: string;
        code?: string;
      },
    }));
}

/** Polls a job until it is completed or failed (the test's own timeout bounds it). */
export async function settleJob(h: ApiHarness, jobId: string, as: 'a' | 'b' | 'admin' = 'a'): Promise<Record<string, unknown>> {
  for (;;) {
    const res = await h.call(`/v1/jobs/${encodeURIComponent(jobId)}`, { as });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status === 429) {
      // the clinic's rate limit, reached by this polling itself on a slow machine: wait, as a client would
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    if (res.status !== 200 || body.state === 'completed' || body.state === 'failed') {
      return { status: res.status, ...body };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Total jobs in every queue of the service (any state). */
export async function totalJobs(h: ApiHarness): Promise<number> {
  let n = 0;
  for (const q of h.service.sync.queues()) {
    const counts = await q.getJobCounts();
    n += Object.values(counts).reduce((a, b) => a + b, 0);
  }
  return n;
}
