/**
 * `npm run bench:start`: how fast `kap-fhir start` (embedded defaults, as `npm start`) comes up, run
 * as a child process on the compiled dist/ (`npm run build` first). Each run polls `GET /ready` from
 * the moment the process is spawned, and prints:
 * - listening: the first HTTP answer of any status (a 503 while the service starts);
 * - ready: the first 200 from `/ready`;
 * - cpu: the child's CPU time (all threads) when ready — unlike wall time, hardly moved by other
 *   processes on a busy machine;
 * - rss: resident memory when ready, and once the child has gone idle (the map + validate thread's
 *   background load done), with the peak;
 * - hung: requests sent during start-up that got no answer within {@link REQUEST_TIMEOUT_MS} (must be 0).
 * The last line is exactly `median ready_ms <n> listening_ms <n> cpu_ms <n> rss_ready_mb <n> rss_idle_mb <n>`.
 * Each run uses its own Redis key prefix, removed after. Linux (/proc) for CPU and memory figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { freePort } from '../src/free-port.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** A `/ready` request that has not been answered after this long counts as hung. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Give up on a run that is not ready after this long. */
const START_TIMEOUT_MS = 120_000;
const POLL_MS = 10;
/** Idle: the child used less than this share of one core over {@link IDLE_WINDOW_MS}. */
const IDLE_CPU_SHARE = 0.05;
const IDLE_WINDOW_MS = 500;
const IDLE_TIMEOUT_MS = 60_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'kap-fhir.js');
const CLK_TCK = 100; // USER_HZ on Linux

interface Run {
  listeningMs: number;
  readyMs: number;
  cpuMs: number;
  rssReadyMb: number;
  rssIdleMb: number;
  peakMb: number;
  hung: number;
}


/** CPU time (ms, all threads) of a process, from /proc; NaN elsewhere. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** A memory figure (MB) of a process from /proc/<pid>/status (`VmRSS`, `VmHWM`); NaN elsewhere. */
function memMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Status of `GET /ready`: a number, `refused` (not listening yet) or `hung` (no answer in time). */
async function probe(url: string): Promise<number | 'refused' | 'hung'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'hung' : 'refused';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the child has been idle for a window (its background loading done). */
async function untilIdle(pid: number): Promise<void> {
  const deadline = performance.now() + IDLE_TIMEOUT_MS;
  let before = cpuMs(pid);
  while (performance.now() < deadline) {
    await sleep(IDLE_WINDOW_MS);
    const now = cpuMs(pid);
    if (!(now - before > IDLE_WINDOW_MS * IDLE_CPU_SHARE)) {
      return;
    }
    before = now;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function oneRun(prefix: string): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/ready`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    let listeningMs: number | undefined;
    let hung = 0;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`kap-fhir exited with ${child.exitCode} before ready:\n${stderr}`);
      }
      if (performance.now() - t0 > START_TIMEOUT_MS) {
        throw new Error(`not ready after ${START_TIMEOUT_MS} ms`);
      }
      const status = await probe(url);
      if (status === 'hung') {
        hung += 1;
        continue;
      }
      if (status !== 'refused') {
        listeningMs ??= performance.now() - t0;
      }
      if (status === 200) {
        break;
      }
      await sleep(POLL_MS);
    }
    const readyMs = performance.now() - t0;
    const pid = child.pid as number;
    const run = { listeningMs: listeningMs ?? readyMs, readyMs, cpuMs: cpuMs(pid), rssReadyMb: memMb(pid, 'VmRSS'), hung };
    await untilIdle(pid);
    return { ...run, rssIdleMb: memMb(pid, 'VmRSS'), peakMb: memMb(pid, 'VmHWM') };
  } finally {
    await stop(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Warns when a source file is newer than the build (the bench measures dist/). */
function warnIfStale(): void {
  const built = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(built)) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const builtAt = statSync(built).mtimeMs;
  const newer = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(join(ROOT, 'src', f)).mtimeMs > builtAt
  );
  if (newer.length > 0) {
    process.stderr.write(`warning: ${newer.length} source file(s) newer than dist/ (e.g. src/${newer[0]}): run \`npm run build\`\n`);
  }
}

async function main(): Promise<void> {
  warnIfStale();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(0));
  process.stdout.write(`kap-fhir start (dist/, embedded defaults), ${RUNS} runs, Node ${process.version}\n`);
  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const prefix = `bench-start-${randomBytes(6).toString('hex')}`;
    try {
      const r = await oneRun(prefix);
      runs.push(r);
      process.stdout.write(
        `run ${i}: listening ${fmt(r.listeningMs)} ms, ready ${fmt(r.readyMs)} ms, cpu ${fmt(r.cpuMs)} ms, ` +
          `rss ready ${fmt(r.rssReadyMb)} MB, idle ${fmt(r.rssIdleMb)} MB, peak ${fmt(r.peakMb)} MB, hung ${r.hung}\n`
      );
    } finally {
      await deleteKeysWithPrefix(redisUrl, prefix);
    }
  }
  const hung = runs.reduce((n, r) => n + r.hung, 0);
  process.stdout.write(`requests sent during start-up that got no answer: ${hung}\n`);
  const m = (k: keyof Run) => fmt(median(runs.map((r) => r[k])));
  process.stdout.write(
    `median ready_ms ${m('readyMs')} listening_ms ${m('listeningMs')} cpu_ms ${m('cpuMs')} rss_ready_mb ${m('rssReadyMb')} rss_idle_mb ${m('rssIdleMb')}\n`
  );
  if (hung > 0) {
    process.exitCode = 1;
  }
}

await main();
