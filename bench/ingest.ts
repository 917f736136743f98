/**
 * `npm run bench:ingest`: sustained episode ingest through the whole HTTP service on one core and on all
 * cores, against the same work done in-process, in one run. Each server is one `kap-fhir serve` child (the
 * API alone, as each API replica of a scaled deployment runs; real Redis; the queued deliveries wait for
 * workers that are not started and are removed after), each request a new episode (bench/bench-episode.ts:
 * its own id and vital signs) through parse → map → validate → render the summaries → seal + keep →
 * enqueue. `BENCH_COMMAND=start` measures `kap-fhir start` instead (API + delivery workers to `discard`
 * targets in one process: the workers' bookkeeping — opening, hashing and parsing each payload, ~50 ms
 * per episode — then shares the event loop, and the ratio is lower; docs/operations.md gives both):
 *   1. one core: the child under `taskset -c 0`. The service starts one map thread per core it may run on
 *      (`os.availableParallelism()`, which honours the affinity), so here one thread shares the core with
 *      the event loop;
 *   2. all cores: the child without taskset (one map thread per core, at most 8);
 *   3. in-process: parse + mapAndValidate of the same episode in a loop, in one thread, no HTTP / Redis /
 *      queue (bench/ingest-in-process.ts, a child under `taskset -c 0`).
 * Each server is warmed up first (BENCH_WARMUP episodes at once, discarded: the map threads load the
 * profiles in the background after /ready, so the first episodes wait for them). Then `GET /health` (the
 * HTTP floor, autocannon) and `POST /v1/episodes` at each BENCH_CONNECTIONS count with a closed loop of
 * that many connections (each sends its next episode when the last is answered): first a ramp until the
 * queue in front of the map threads is full (connections ÷ the last rate measured, so that p50/p99 are
 * steady-state, not the first requests' short wait), then BENCH_SECONDS measured: episodes/s (2xx answers
 * ended in the window, per second), p50 and p99 of those, and every non-2xx answer or error of the whole
 * run by status. At the end of each window the loop stops sending and waits for the answers in flight, so
 * the next measurement starts on an idle server. (The previous bench used autocannon here: at 64
 * connections an episode waits behind ~64 others, longer than its 10 s default timeout and window, so it
 * counted queued requests as errors and reported the first, short waits as the latency.)
 * Lines: `http/in-process <one-core episodes/s at the first connection count ÷ in-process episodes/s>`
 * (what HTTP, storage and queue cost on one core), and last `ratio <all-cores ÷ one-core episodes/s at the
 * first connection count>` (goal ≥ 1.7 on 2 cores).
 * Env: BENCH_SECONDS (10 per measurement), BENCH_CONNECTIONS ("8,64"), BENCH_WARMUP (8 episodes per
 * server), BENCH_TIMEOUT_S (300, one request), BENCH_EXAMPLE (examples/iv-ketamine-trd.json),
 * BENCH_ONE_CORE (the CPU of the one-core runs, "0"), BENCH_COMMAND (serve | start), REDIS_URL (redis://127.0.0.1:6379); LOG_LEVEL of
 * the children (warn). `KAP_MAP_THREADS` is not passed on: the service's default (one per core) is what is
 * measured. Needs `taskset` (util-linux). On a shared machine every figure is noisy; the ratios are
 * measured back to back in one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../src/free-port.js';
import { benchClinic } from './bench-clinic.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { benchEpisode } from './bench-episode.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '8,64').split(',').map((c) => Number(c.trim())).filter((c) => c > 0);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 8);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 300);
/** The longest ramp before a window (a very slow server at many connections). */
const MAX_RAMP_MS = 180_000;
const EXAMPLE = resolve(process.env.BENCH_EXAMPLE ?? 'examples/iv-ketamine-trd.json');
const ONE_CORE = process.env.BENCH_ONE_CORE ?? '0';
/** `serve` (the API alone: what an API replica ingests) or `start` (API + delivery workers in one process). */
const COMMAND = process.env.BENCH_COMMAND === 'start' ? 'start' : 'serve';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOOKS = ['--no-warnings', '--import', './scripts/ts-hooks.ts'];

/** The part of autocannon's API used here (the package ships no type declarations). */
interface AutocannonOptions {
  url: string;
  connections?: number;
  duration?: number;
  timeout?: number;
}
interface AutocannonResult {
  '2xx': number;
  duration: number;
  latency: { p50: number; p99: number };
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannonModule = 'autocannon';
const autocannon = (await import(autocannonModule)).default as (o: AutocannonOptions) => Promise<AutocannonResult>;

/** One measurement. */
interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
}

function line(label: string, connections: number, m: Measured, failures: string): void {
  const ms = (v: number): string => (Number.isFinite(v) ? String(Math.round(v)) : '-').padStart(6);
  process.stdout.write(
    `${label.padEnd(20)} c=${String(connections).padEnd(3)} ${m.perSecond.toFixed(1).padStart(8)}/s  p50 ${ms(m.p50)} ms  p99 ${ms(m.p99)} ms  ${failures}\n`
  );
}

/** `non-2xx 0`, or the count with each status / error. */
function failureText(counts: Map<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `non-2xx ${total}${total ? ` (${[...counts].map(([k, v]) => `${k}×${v}`).join(', ')})` : ''}`;
}

/** The HTTP floor: GET /health with autocannon. */
async function health(label: string, url: string, connections: number): Promise<void> {
  const r = await autocannon({ url: `${url}/health`, connections, duration: SECONDS, timeout: TIMEOUT_S });
  const counts = new Map(
    Object.entries(r.statusCodeStats)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, { count }]) => [code, count] as [string, number])
  );
  if (r.errors) {
    counts.set('error', r.errors);
  }
  line(label, connections, { perSecond: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99 }, failureText(counts));
}

/** The value at quantile q of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : Number.NaN;
}

/**
 * A closed loop of `connections` clients posting episodes: a ramp of `rampMs`, then a window of BENCH_SECONDS
 * measured; resolves once every answer in flight at the window's end has come.
 */
async function episodes(label: string, url: string, connections: number, rampMs: number, request: () => RequestInit): Promise<Measured> {
  const from = performance.now() + rampMs;
  const to = from + SECONDS * 1000;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const client = async (): Promise<void> => {
    while (performance.now() < to) {
      const started = performance.now();
      let status: string;
      try {
        const res = await fetch(`${url}/v1/episodes`, { ...request(), signal: AbortSignal.timeout(TIMEOUT_S * 1000) });
        await res.arrayBuffer();
        status = String(res.status);
      } catch (err) {
        status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'error';
      }
      const ended = performance.now();
      if (!status.startsWith('2')) {
        failures.set(status, (failures.get(status) ?? 0) + 1);
      } else if (ended >= from && ended < to) {
        latencies.push(ended - started);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  latencies.sort((a, b) => a - b);
  const m = { perSecond: latencies.length / SECONDS, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  line(label, connections, m, failureText(failures));
  return m;
}

/** A started server: its URL and how to stop it (and remove its keys). */
interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Resolves when the child exits. */
function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts `kap-fhir start` from the sources (src/server/main.ts), optionally pinned with taskset, and waits for /ready.
 * @param apiKey - the bench clinic's key
 * @param cpus - a taskset CPU list, or undefined for all cores
 */
async function startServer(apiKey: string, cpus: string | undefined): Promise<Server> {
  const prefix = `kap-bench-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(tmpdir(), `${prefix}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      clinics: [benchClinic(apiKey)],
      rateLimitPerWindow: 0,
    })
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    KAP_CONFIG: configFile,
    KAP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  delete env.KAP_MAP_THREADS;
  const node = [process.execPath, ...HOOKS, 'src/server/main.ts', COMMAND];
  const [cmd, ...args] = cpus === undefined ? node : ['taskset', '-c', cpus, ...node];
  const child = spawn(cmd as string, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited(child);
    rmSync(configFile, { force: true });
    await deleteKeysWithPrefix(REDIS_URL, prefix);
  };
  let gone = false;
  child.once('exit', () => (gone = true));
  const deadline = Date.now() + 300_000;
  while (!(await fetch(`${url}/ready`).then((r) => r.ok).catch(() => false))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`the server ${gone ? 'exited' : 'was not ready within 300 s'}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

/** The in-process pipeline's episodes/s (bench/ingest-in-process.ts under taskset). */
function inProcess(): number {
  const run = spawnSync('taskset', ['-c', ONE_CORE, process.execPath, ...HOOKS, 'bench/ingest-in-process.ts'], {
    env: { ...process.env, BENCH_SECONDS: String(SECONDS), BENCH_EXAMPLE: EXAMPLE, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    throw new Error(`bench/ingest-in-process.ts exited ${run.status ?? run.signal}`);
  }
  return (JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { perSecond: number }).perSecond;
}

async function main(): Promise<void> {
  if (spawnSync('taskset', ['-c', ONE_CORE, 'true']).status !== 0) {
    throw new Error(`bench:ingest needs taskset (util-linux) and CPU ${ONE_CORE}`);
  }
  const apiKey = `bench-${randomBytes(12).toString('hex')}`;
  const template = readFileSync(EXAMPLE, 'utf8');
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  let n = 0;
  const parsedTemplate = JSON.parse(template) as Record<string, unknown>;
  const episodeBody = (): string => JSON.stringify(benchEpisode(parsedTemplate, ++n));
  const sessions = (JSON.parse(template) as { sessions?: unknown[] }).sessions?.length ?? 0;
  process.stdout.write(
    `bench:ingest — ${SECONDS} s per measurement, episode ${EXAMPLE.split('/').at(-1)} (${sessions} sessions), ` +
      `kap-fhir ${COMMAND === 'serve' ? 'serve (the API alone)' : 'start (API + workers, discard targets)'}, ${availableParallelism()} cores, one core = CPU ${ONE_CORE}\n`
  );

  const episodesAt: Record<string, Map<number, Measured>> = {};
  const request = (): RequestInit => ({ method: 'POST', headers, body: episodeBody() });
  for (const [mode, cpus] of [
    ['one-core', ONE_CORE],
    ['all-cores', undefined],
  ] as const) {
    const server = await startServer(apiKey, cpus);
    try {
      // Warm-up, all at once so that every map thread gets some (they load the profiles on first use).
      const warming = performance.now();
      const warm = await Promise.all(
        Array.from({ length: WARMUP }, () => fetch(`${server.url}/v1/episodes`, request()).then(async (r) => (await r.arrayBuffer(), r.status)))
      );
      if (warm.some((s) => s !== 202)) {
        throw new Error(`warm-up answers: ${warm.join(' ')}`);
      }
      // A first rate (profiles loading included: low), for the first ramp.
      let rate = WARMUP / ((performance.now() - warming) / 1000);
      await health(`${mode} health`, server.url, CONNECTIONS[0] ?? 8);
      const byConnections = new Map<number, Measured>();
      for (const c of CONNECTIONS) {
        // Ramp: the time the server takes to answer c requests, so that the window sees full queues.
        const rampMs = Math.min(MAX_RAMP_MS, (c / Math.max(rate, 0.1)) * 1000);
        const m = await episodes(`${mode} episodes`, server.url, c, rampMs, request);
        byConnections.set(c, m);
        rate = m.perSecond || rate;
      }
      episodesAt[mode] = byConnections;
    } finally {
      await server.stop();
    }
  }

  const pipeline = inProcess();
  process.stdout.write(`${'in-process pipeline'.padEnd(20)} c=1   ${pipeline.toFixed(1).padStart(8)}/s  (parse + mapAndValidate, one thread, CPU ${ONE_CORE})\n`);
  const first = CONNECTIONS[0] as number;
  const oneCore = episodesAt['one-core']?.get(first)?.perSecond ?? 0;
  const allCores = episodesAt['all-cores']?.get(first)?.perSecond ?? 0;
  process.stdout.write(`http/in-process ${(oneCore / pipeline).toFixed(3)}\n`);
  process.stdout.write(`ratio ${(allCores / oneCore).toFixed(3)}\n`);
}

await main();
