/**
 * Horizontal proof (issue 16): two `kap-fhir serve` and two `kap-fhir worker` processes (the compiled
 * binary, bin/kap-fhir.js → dist/) on one Redis — or on the Redis Cluster when the suite runs on one
 * (`KAP_TEST_REDIS_CLUSTER`, the children's env from `testServiceRedisEnv()`) — share one deployment:
 * one config file, one key prefix, one keyring. Twelve example episodes (distinct episode and patient
 * ids) are posted alternately to the two APIs, then a second version of four of them to the API that did
 * not take the first. Every accepted version is delivered exactly once at the target, an EHR the test
 * runs (the sandbox), whichever process took it:
 * - each worker logs `delivered` with the job id: every job is logged once, by one worker, and both
 *   workers delivered some;
 * - the delivery log holds one line per accepted (episode, version) and no other; nothing is dead-lettered;
 * - at the target: one Provenance per accepted version (its tag is `episode-<id>-v<version>`), no
 *   resource key twice, and the Bundle requests carrying each version's identifier are exactly the
 *   requests its one delivery made;
 * - either API answers for the jobs the other accepted (the state is in Redis, not in a process).
 *
 * Every wait is on an event (a readiness line, a worker's log line, an HTTP answer), bounded by the
 * limits of test/helpers/timeouts.ts; `KAP_MAP_THREADS=1` keeps four processes' profiles within a small
 * machine.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { hashApiKey } from '../../src/api/auth.js';
import type { DeliveryLogEntry } from '../../src/sync/delivery-store.js';
import { killChild, spawnNode, waitForOutput } from '../helpers/cli.js';
import { CHILD_START_TIMEOUT_MS, SETTLE_TIMEOUT_MS, TARGET_TIMEOUT_MS } from '../helpers/timeouts.js';
import { exampleEpisodes } from '../integration/api-harness.js';
import { testKey } from '../integration/helpers/codec.js';
import { cleanupPrefix, testPrefix, testServiceRedisEnv } from '../integration/helpers/redis.js';
import { startSandbox, type RunningSandbox } from '../integration/helpers/sandbox.js';

const CLINIC = 'clinic-a';
const TARGET = 'ehr-main';
/** Episodes posted (version 1), and how many of them get a version 2. */
const EPISODES = 12;
const SECOND_VERSIONS = 4;
/** What `kap-fhir serve` prints once it listens; what `kap-fhir worker` prints once its workers run. */
const API_READY = /kap-fhir is up at (http:\/\/\S+)/;
const WORKER_READY = 'kap-fhir is up (workers only)';

/** One child with everything it printed. */
interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
}

/** The JSON log lines a child printed. */
function logLines(child: Child): Record<string, unknown>[] {
  return child
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return []; // a line still being written
      }
    });
}

/** Job ids a worker logged as final, by outcome (`delivered`, `delivery dead-lettered`). */
function finalJobs(worker: Child): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of logLines(worker)) {
    if ((line.msg === 'delivered' || line.msg === 'delivery dead-lettered') && typeof line.jobId === 'string') {
      out.set(line.jobId, [...(out.get(line.jobId) ?? []), line.msg]);
    }
  }
  return out;
}

/**
 * Resolves once the workers together logged a final line for every job (or rejects when a worker exits
 * or the time runs out, naming the jobs still open).
 */
function workersFinish(workers: Child[], jobIds: readonly string[], timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = (): string[] => {
      const seen = new Set(workers.flatMap((w) => [...finalJobs(w).keys()]));
      return jobIds.filter((id) => !seen.has(id));
    };
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      for (const w of workers) {
        w.process.stdout?.off('data', check);
        w.process.off('exit', onExit);
      }
      fn();
    };
    const check = (): void => {
      if (open().length === 0) {
        done(resolve);
      }
    };
    const onExit = (): void => done(() => reject(new Error('a worker exited before every job was final')));
    const timer = setTimeout(() => done(() => reject(new Error(`jobs not final within ${timeoutMs} ms: ${open().join(', ')}`))), timeoutMs);
    for (const w of workers) {
      w.process.stdout?.on('data', check);
      w.process.once('exit', onExit);
    }
    check();
  });
}

/** The key a resource is written under at the target: its first identifier, else its first tag. */
function writeKey(r: Resource): string | undefined {
  const ids = (r as { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }).identifier;
  const id = Array.isArray(ids) ? ids[0] : ids;
  if (id?.system && id.value) {
    return `${r.resourceType}|${id.system}|${id.value}`;
  }
  const tag = r.meta?.tag?.[0];
  return tag?.system && tag.code ? `${r.resourceType}|${tag.system}|${tag.code}` : undefined;
}

describe('two APIs and two workers on one Redis', () => {
  const prefix = testPrefix();
  const apiKey = `scale-${randomBytes(12).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'kap-scale-'));
  const children: Child[] = [];
  let sandbox: RunningSandbox;
  let apis: { child: Child; url: string }[] = [];
  let workers: Child[] = [];

  const start = (name: string, command: 'serve' | 'worker', env: Record<string, string>): Child => {
    const proc = spawnNode(['--no-warnings', 'bin/kap-fhir.js', command, '--config', join(dir, 'config.json')], env);
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const child = { name, process: proc, output: () => output };
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const target = { id: TARGET, type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: TARGET_TIMEOUT_MS };
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        clinics: [{ id: CLINIC, apiKeySha256: [hashApiKey(apiKey)], targets: [target] }],
        // the test reads job states through the API: no limit on its own requests
        rateLimitPerWindow: 0,
        sandbox: false,
      })
    );
    // One deployment: the same Redis, prefix and keyring in every process.
    const env = {
      ...testServiceRedisEnv(),
      REDIS_PREFIX: prefix,
      KAP_ENCRYPTION_KEY: testKey(),
      KAP_MAP_THREADS: '1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
    };
    const api = [start('serve-a', 'serve', env), start('serve-b', 'serve', env)];
    workers = [start('worker-a', 'worker', env), start('worker-b', 'worker', env)];
    // Every readiness wait is attached now, before any line can be printed (a wait sees only later output).
    const listening = api.map((c) => waitForOutput(c.process, API_READY));
    const running = workers.map((w) => waitForOutput(w.process, WORKER_READY));
    const urls = (await Promise.all(listening)).map((m) => m[1] as string);
    await Promise.all(running);
    apis = api.map((child, i) => ({ child, url: urls[i] as string }));
  }, CHILD_START_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => killChild(c.process)));
    await sandbox?.close();
    await cleanupPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A request to one API as the clinic. */
  const call = async (api: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${apis[api]?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(SETTLE_TIMEOUT_MS),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  test(
    'every accepted episode version is delivered once at the target, whichever process took it',
    async () => {
      // Twelve distinct episodes from the examples (episode and patient ids made unique), version 1.
      const examples = exampleEpisodes().map(([, e]) => e);
      const episodes = Array.from({ length: EPISODES }, (_, i) => {
        const e = examples[i % examples.length] as Record<string, unknown> & { id: string; patient: { id: string } };
        return { ...e, id: `${e.id}-h${i}`, version: 1, patient: { ...e.patient, id: `${e.patient.id}-h${i}` } };
      });
      const accepted: { episodeId: string; version: number; jobIds: string[]; api: number }[] = [];
      const submit = async (requests: { api: number; method: string; path: string; body: { id: string; version: number } }[]): Promise<string[]> => {
        const answers = await Promise.all(requests.map((r) => call(r.api, r.method, r.path, r.body)));
        answers.forEach(({ status, json }, i) => {
          const r = requests[i] as (typeof requests)[number];
          expect({ episode: r.body.id, status }).toEqual({ episode: r.body.id, status: 202 });
          expect(json).toMatchObject({ episodeId: r.body.id, version: r.body.version });
          accepted.push({ episodeId: r.body.id, version: r.body.version, jobIds: json.jobIds as string[], api: r.api });
        });
        return answers.flatMap((a) => a.json.jobIds as string[]);
      };

      // Version 1 of each, alternately to the two APIs, all at once (the workers get jobs while busy).
      const firstJobs = await submit(episodes.map((e, i) => ({ api: i % 2, method: 'POST', path: '/v1/episodes', body: e })));
      expect(firstJobs).toHaveLength(EPISODES); // one EHR target: one job per episode version
      await workersFinish(workers, firstJobs);
      // Then a second version of some, each to the API that did not take the first.
      const secondJobs = await submit(
        episodes.slice(0, SECOND_VERSIONS).map((e, i) => ({
          api: (i + 1) % 2,
          method: 'PUT',
          path: `/v1/episodes/${e.id}`,
          body: { ...e, version: 2, updatedAt: '2026-06-30T12:00:00-04:00' },
        }))
      );
      await workersFinish(workers, secondJobs);
      const jobIds = [...firstJobs, ...secondJobs];
      expect(new Set(jobIds).size).toBe(EPISODES + SECOND_VERSIONS);

      // Each job was delivered once, by one worker, and both workers delivered some.
      const byWorker = workers.map((w) => finalJobs(w));
      for (const id of jobIds) {
        const outcomes = byWorker.flatMap((m) => m.get(id) ?? []);
        expect({ id, outcomes }).toEqual({ id, outcomes: ['delivered'] });
      }
      const perWorker = byWorker.map((m) => m.size);
      expect({ perWorker, bothWorked: perWorker.every((n) => n > 0) }).toEqual({ perWorker, bothWorked: true });

      // Either API answers for a job the other accepted: completed, delivered.
      for (const a of accepted) {
        for (const id of a.jobIds) {
          const { status, json } = await call(1 - a.api, 'GET', `/v1/jobs/${encodeURIComponent(id)}`);
          expect({ id, status, state: json.state, result: (json.result as { status?: string } | undefined)?.status }).toEqual({
            id,
            status: 200,
            state: 'completed',
            result: 'delivered',
          });
        }
      }
      const dead = await call(0, 'GET', '/v1/dead-letters');
      expect(dead).toMatchObject({ status: 200, json: { total: 0 } });

      // The delivery log: one line per accepted version, and no other.
      const logAnswer = await call(1, 'GET', '/v1/delivery-log');
      expect(logAnswer.status).toBe(200);
      const lines = (logAnswer.json.items as DeliveryLogEntry[]).filter((l) => l.targetId === TARGET);
      const versionKey = (episodeId: string, version: number): string => `episode-${episodeId}-v${version}`;
      const expected = accepted.map((a) => versionKey(a.episodeId, a.version)).sort();
      expect(lines.map((l) => versionKey(l.recordId, l.version)).sort()).toEqual(expected);

      // At the target: each version's requests are those of its one delivery; one Provenance per version.
      const posts = sandbox.controls.requests.filter((r) => r.method === 'POST' && r.url === '/');
      for (const line of lines) {
        const key = versionKey(line.recordId, line.version);
        const seen = posts.filter((r) => r.bundleIdentifier === key);
        expect({ key, requests: seen.length, ok: seen.every((r) => r.status === 200) }).toEqual({ key, requests: line.requests, ok: true });
        expect(line.count).toBeGreaterThan(0);
      }
      const provenance = await sandbox.controls.find<Resource>('Provenance');
      const tags = provenance.flatMap((p) => (p.meta?.tag ?? []).map((t) => t.code ?? '')).filter((c) => c.startsWith('episode-'));
      expect(tags.sort()).toEqual(expected);

      // No resource twice at the target (every key once, over every type the deliveries wrote), and every
      // resource a delivery logged is there.
      const written = lines.flatMap((l) => l.written);
      const types = new Set(written.map((w) => w.split('/')[0] as string));
      expect(types.size).toBeGreaterThan(5);
      const atTarget = new Set<string>();
      for (const type of types) {
        const resources = await sandbox.controls.find<Resource>(type);
        resources.forEach((r) => atTarget.add(`${type}/${r.id ?? ''}`));
        const keys = resources.map((r) => writeKey(r) ?? `${type}/${r.id ?? ''} (no key)`);
        const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
        expect({ type, twice }).toEqual({ type, twice: [] });
      }
      expect(written.filter((w) => !atTarget.has(w))).toEqual([]);
    },
    4 * SETTLE_TIMEOUT_MS
  );
});
