/**
 * `npm run bench:sync`: the sync engine's cost, measured in one run on the same machine and Redis.
 * 1. Episodes/s delivered to the sandbox EHR through the queue vs the same Bundles POSTed straight
 *    to the sandbox (same concurrency).
 * 2. No-op BullMQ jobs/s vs the engine's own overhead (a `discard` target: payload store, job,
 *    record lock, version checks, delivery log — everything but the HTTP).
 * The sandbox runs in its own process (`npm run sandbox`'s entry point), as a real EHR would: the
 * engine's CPU is then not taken from the target. Its last line: `ratio <queued/direct>` (goal ≥ 0.8).
 * `npm run bench:sync` then runs bench/sync-real.ts (the same comparison against the real FHIR server of
 * ../shared/real-ehr): the LAST line of `npm run bench:sync` is the REAL server's `ratio`, the one CI and
 * readers should look at; this file's `ratio` line (the sandbox's) is the one printed before the
 * `real …` lines. Alone: `node --import ./scripts/ts-hooks.ts bench/sync.ts`; `npm run bench:sync-real`.
 * Env: BENCH_EPISODES (200), BENCH_JOBS (2000), BENCH_CONCURRENCY (8: direct requests in flight,
 * submitters, no-op workers), BENCH_WORKER_CONCURRENCY (16), BENCH_ROUNDS (3), REDIS_HOST/REDIS_PORT.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { Queue, Worker } from 'bullmq';
import { syntheticEpisode, syntheticSubmission } from '../src/sandbox/synthetic-episode.js';
import { createAtRestCodec } from '../src/crypto/at-rest-codec.js';
import { createSyncEngine, type EpisodeSubmission, type SyncEngine } from '../queues/sync-engine.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { pool } from './pool.js';

const EPISODES = Number(process.env.BENCH_EPISODES ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Worker concurrency of the queued path: jobs wait on Redis round trips too, so more in flight keep the target busy. */
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const redis = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const prefix = `kap-bench-${randomBytes(4).toString('hex')}`;
/** Payloads are sealed at rest as in the service (a key of this run). */
const codec = createAtRestCodec({ current: randomBytes(32) });

async function drained(engine: SyncEngine, total: number): Promise<void> {
  for (;;) {
    const counts = Object.values(await engine.queueCounts());
    const done = counts.reduce((a, c) => a + (c.completed ?? 0) + (c.failed ?? 0), 0);
    if (done >= total) {
      const failed = counts.reduce((a, c) => a + (c.failed ?? 0), 0);
      if (failed) {
        throw new Error(`${failed} jobs failed`);
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function cleanup(): Promise<void> {
  await deleteKeysWithPrefix(redis, prefix);
}

const rate = (n: number, ms: number): number => (n * 1000) / ms;
const fmt = (x: number): string => x.toFixed(1);

/** Starts the sandbox EHR as a child process; resolves with its base URL. */
async function sandboxProcess(): Promise<{ baseUrl: string; stop: () => void }> {
  const hooks = fileURLToPath(new URL('../scripts/ts-hooks.ts', import.meta.url));
  const main = fileURLToPath(new URL('../src/sandbox/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', hooks, main], {
    env: { ...process.env, SANDBOX_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /sandbox EHR: (\S+)/.exec(out);
      if (m) {
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return { baseUrl, stop: () => child.kill('SIGTERM') };
}

async function countEpisodes(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/EpisodeOfCare?_count=100000`);
  const bundle = (await res.json()) as Bundle;
  return bundle.entry?.length ?? 0;
}

try {
  const sandbox = await sandboxProcess();
  const clinicId = 'bench-clinic';
  const episodesOf = (round: number): EpisodeSubmission[] =>
    Array.from({ length: EPISODES }, (_, i) => syntheticSubmission({ clinicId, episodeId: `r${round}-ep-${i}`, dosingSessions: 2 }));
  const entries = episodesOf(0)[0].bundle.entry?.length ?? 0;
  const post = async ({ bundle }: EpisodeSubmission): Promise<void> => {
    const res = await fetch(`${sandbox.baseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
    if (!res.ok) {
      throw new Error(`direct POST failed: ${res.status}`);
    }
    await res.arrayBuffer();
  };
  const reset = async (): Promise<void> => {
    await fetch(`${sandbox.baseUrl}/_admin/reset`, { method: 'POST' });
  };
  const engine = createSyncEngine({
    redis,
    prefix: `${prefix}-q`,
    codec,
    concurrency: WORKER_CONCURRENCY,
    targets: [{ id: 'bench-ehr', clinicId, type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, transaction: 'always' }],
  });
  await engine.startWorkers();
  // Warm-up (JIT, connections, Lua scripts), both paths, with the same concurrency: steady state is measured.
  const warmups = Array.from({ length: 50 }, (_, i) => syntheticSubmission({ clinicId, episodeId: `warm-${i}` }));
  await pool(warmups, CONCURRENCY, post);
  await pool(warmups, CONCURRENCY, async (e) => {
    await engine.submitEpisode(e);
  });
  await drained(engine, warmups.length);
  let submitted = warmups.length;

  // 1. Rounds alternate direct and queued, so a load spike on the shared machine hits both alike.
  let directMs = 0;
  let queuedMs = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const bundles = episodesOf(round);
    await reset();
    let t0 = performance.now();
    await pool(bundles, CONCURRENCY, post);
    const d = performance.now() - t0;
    directMs += d;
    await reset();
    t0 = performance.now();
    await pool(bundles, CONCURRENCY, async (e) => {
      await engine.submitEpisode(e);
    });
    submitted += EPISODES;
    await drained(engine, submitted);
    const q = performance.now() - t0;
    queuedMs += q;
    const stored = await countEpisodes(sandbox.baseUrl);
    if (stored !== EPISODES) {
      throw new Error(`expected ${EPISODES} episodes at the sandbox, found ${stored}`);
    }
    process.stdout.write(`round ${round}: direct ${fmt(rate(EPISODES, d))}/s, queued ${fmt(rate(EPISODES, q))}/s\n`);
  }
  await engine.close();
  sandbox.stop();

  // 2a. No-op BullMQ jobs.
  const connection = { ...redis, maxRetriesPerRequest: null };
  const q = new Queue('noop', { connection, prefix: `${prefix}-n` });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    const w = new Worker('noop', async () => undefined, { connection, prefix: `${prefix}-n`, concurrency: CONCURRENCY });
    w.on('completed', () => {
      if (++done === JOBS) {
        void w.close().then(resolve);
      }
    });
  });
  let t0 = performance.now();
  for (let i = 0; i < JOBS; i += 500) {
    await q.addBulk(Array.from({ length: Math.min(500, JOBS - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { jobId: `noop-${i + k}` } })));
  }
  await finished;
  const noopMs = performance.now() - t0;
  await q.close();

  // 2b. The engine's own overhead: the same number of jobs to a discard target.
  const small = syntheticEpisode({ clinicId, episodeId: 'x' });
  const overhead = createSyncEngine({
    redis,
    prefix: `${prefix}-o`,
    codec,
    concurrency: CONCURRENCY,
    targets: [{ id: 'bench-null', clinicId, type: 'discard', roles: ['ehr'] }],
  });
  await overhead.startWorkers();
  t0 = performance.now();
  const ids = Array.from({ length: JOBS }, (_, i) => i);
  await pool(ids, CONCURRENCY, async (i) => {
    await overhead.submitEpisode({ clinicId, episodeId: `e${i}`, version: 1, bundle: small });
  });
  await drained(overhead, JOBS);
  const engineMs = performance.now() - t0;
  await overhead.close();

  const direct = rate(EPISODES * ROUNDS, directMs);
  const queued = rate(EPISODES * ROUNDS, queuedMs);
  process.stdout.write(`episodes: ${ROUNDS} rounds × ${EPISODES} (${entries} entries each); direct requests in flight ${CONCURRENCY}, worker concurrency ${WORKER_CONCURRENCY}\n`);
  process.stdout.write(`direct POST to the sandbox: ${fmt(direct)} episodes/s (${Math.round(directMs)} ms)\n`);
  process.stdout.write(`through the queue:          ${fmt(queued)} episodes/s (${Math.round(queuedMs)} ms)\n`);
  process.stdout.write(`no-op BullMQ jobs:          ${fmt(rate(JOBS, noopMs))} jobs/s\n`);
  process.stdout.write(`engine, discard target:     ${fmt(rate(JOBS, engineMs))} jobs/s (overhead ${fmt((engineMs - noopMs) / JOBS)} ms/job over no-op)\n`);
  process.stdout.write(`ratio ${(queued / direct).toFixed(2)}\n`);
} finally {
  await cleanup();
}
process.exit(0);
