/**
 * `npm run bench:event-loop`: how long `/health` waits while a large episode (the IV example with 150
 * extra dosing sessions, ~2,300 resources) is mapped and validated — (a) in the request's thread
 * (`mapThreads: 0`) against (b) on the worker-thread pool (`mapThreads: 1`), in the same run, rounds
 * interleaved. Queue workers are off (only the API's own work is measured). The last line is exactly
 * `ratio <b/a>` of the median longest `/health` wait per POST: well below 1 when the pool keeps the
 * event loop free.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashApiKey } from '../src/api/auth.js';
import { configSchema } from '../src/config/service-config.js';
import { startService, type RunningService } from '../src/server/service.js';
import { createServiceSyncEngine } from '../src/server/service-sync-engine.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 150);
const KEY = `bench-${randomBytes(8).toString('hex')}`;

/** The IV example with its first dosing session repeated (new ids), under a new episode id. */
function largeEpisode(id: string): Record<string, unknown> {
  const base = JSON.parse(readFileSync(new URL('../examples/iv-ketamine-trd.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const sessions = base.sessions as (Record<string, unknown> & { vitals?: { id: string }[]; sideEffects?: { id: string }[] })[];
  const dosing = sessions.find((s) => s.kind === 'dosing') as (typeof sessions)[number];
  const copies = Array.from({ length: SESSIONS }, (_, i) => ({
    ...structuredClone(dosing),
    id: `s-big-${i}`,
    vitals: (dosing.vitals ?? []).map((v, j) => ({ ...v, id: `s-big-${i}-v${j}` })),
    sideEffects: (dosing.sideEffects ?? []).map((e, j) => ({ ...e, id: `s-big-${i}-se${j}` })),
  }));
  return { ...base, id, sessions: [...sessions, ...copies], questionnaires: [] };
}

async function start(mapThreads: number, prefix: string): Promise<RunningService> {
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: true,
    redisPrefix: prefix,
    encryptionKey: randomBytes(32).toString('base64'),
    clinics: [{ id: 'bench', apiKeySha256: [hashApiKey(KEY)], targets: [] }],
    sandbox: false,
    mapThreads,
  });
  return startService({ config, api: true, workers: false, createSync: createServiceSyncEngine, env: {} });
}

/** POSTs one large episode; returns the longest wait of a `/health` request sent while it was in flight. */
async function longestHealthWait(service: RunningService, id: string): Promise<number> {
  let inFlight = true;
  const posted = fetch(`${service.url}/v1/episodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(largeEpisode(id)),
  }).then(async (res) => {
    inFlight = false;
    if (res.status !== 202) {
      throw new Error(`POST answered ${res.status}`);
    }
    await res.text();
  });
  let longest = 0;
  while (inFlight) {
    const t0 = performance.now();
    await (await fetch(`${service.url}/health`)).text();
    longest = Math.max(longest, performance.now() - t0);
  }
  await posted;
  return longest;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const inThread = await start(0, `kap-bench-el-a-${run}`);
  const pooled = await start(1, `kap-bench-el-b-${run}`);
  const a: number[] = [];
  const b: number[] = [];
  try {
    await longestHealthWait(inThread, 'ep-warm-a');
    await longestHealthWait(pooled, 'ep-warm-b');
    for (let i = 0; i < ROUNDS; i++) {
      a.push(await longestHealthWait(inThread, `ep-a-${i}`));
      b.push(await longestHealthWait(pooled, `ep-b-${i}`));
    }
  } finally {
    await inThread.close();
    await pooled.close();
    await deleteKeysWithPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `kap-bench-el-a-${run}`, `kap-bench-el-b-${run}`);
  }
  console.log(`episode: iv-ketamine-trd + ${SESSIONS} dosing sessions; ${ROUNDS} interleaved rounds`);
  console.log(`(a) map + validate in the request's thread: longest /health wait ${a.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(a).toFixed(0)})`);
  console.log(`(b) map + validate on the worker-thread pool: longest /health wait ${b.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(b).toFixed(0)})`);
  console.log(`ratio ${(median(b) / median(a)).toFixed(3)}`);
}

await main();
