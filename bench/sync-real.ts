/**
 * `npm run bench:sync`, second part (chained after bench/sync.ts): the sync engine against a REAL FHIR
 * server — the open-source Medplum server of ../shared/real-ehr (PostgreSQL) — in the same run:
 * (a) direct: each mapped example episode Bundle (examples/*.json → `parseEpisode` → `mapClinicEpisode`,
 *     keyed for the server by `keyEntries` as the engine keys it: AdverseEvent has no `identifier` search
 *     there, so it becomes a `_tag`-keyed conditional PUT) POSTed as ONE `transaction` Bundle with fetch,
 *     every entry's status checked;
 * (b) the same episodes through the engine (createSyncEngine, one FHIR target at that server,
 *     client-credentials auth, its own Redis prefix, removed afterwards), settled.
 * After an untimed warm-up (one small episode each way), rounds alternate the two paths (and which goes
 * first); each round gives both the same examples, `BENCH_REAL_EPISODES` episodes per path, with
 * `BENCH_REAL_CONCURRENCY` in flight (direct transactions / the engine's worker concurrency). After the
 * rounds, a few untimed count searches check that each clinic holds exactly one resource per key.
 * Every run gets its own clinic ids (one for direct, one for the engine) and every episode occurrence its
 * own episode and patient ids, so nothing is at the server already; within a run the clinic's
 * Organization and its practitioners are shared by its episodes, as in a real clinic (the engine then
 * writes them once, the direct path PUTs them again in every transaction).
 *
 * Quota: the server charges each client points per 60 s window (default 50,000: a conditional PUT costs
 * about 120-160 points, a search 20, a read 1; 429 once spent). The default volume (every example once
 * per path, ≈ 100k points with the warm-up) is paced: before each timed phase the remaining points are
 * read (one read, 1 point) and, when the phase would not fit, the run waits for the next window OUTSIDE
 * the timing. A 429 that still happens inside a timed phase is waited out there and counted in its time;
 * the output says how many.
 *
 * OUTPUT — the line to read: the LAST line of `npm run bench:sync` is `ratio <engine/direct>` measured
 * AT THE REAL SERVER (this file). The `ratio` line bench/sync.ts prints before it is the sandbox's (and
 * stays its own last line when run alone). Without the kit (no `REAL_EHR` and no
 * ../shared/real-ehr/start) the last line is `real server: skipped (...)` and there is no real ratio.
 *
 * Env: REAL_EHR (the kit's JSON line: use that server, start nothing), REAL_EHR_KIT (kit dir, default
 * ../shared/real-ehr), BENCH_REAL_ROUNDS (2), BENCH_REAL_EPISODES (2 per path per round, examples taken
 * in turn), BENCH_REAL_CONCURRENCY (direct transactions in flight = engine worker concurrency; default 1:
 * with 2, the server answers some entries of concurrent transactions 409 "could not serialize access"
 * — the direct path then sends its transaction again, which makes the baseline noisy — and the engine
 * runs one episode of a clinic at a time anyway: its resource locks cover the clinic's Organization),
 * BENCH_REAL_MODE (the target's `transaction` setting, default auto), BENCH_REAL_PACE (1; 0:
 * no waits for the quota window), REDIS_HOST/REDIS_PORT (the engine's Redis).
 */
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { pool } from './pool.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, BundleEntry, CapabilityStatement } from '@medplum/fhirtypes';
import { createAtRestCodec } from '../src/crypto/at-rest-codec.js';
import { parseEpisode } from '../src/kap/episode.js';
import { mapClinicEpisode, type MappedEpisode } from '../src/pipeline/map-clinic-episode.js';
import type { TargetInput } from '../src/sync/config.js';
import { createSyncEngine, type JobStatus } from '../queues/sync-engine.js';
import { capabilitiesOf } from '../src/sync/server-capabilities.js';
import { keyEntries, type KeyedEntry } from '../src/sync/write-keys.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Number(process.env.BENCH_REAL_ROUNDS ?? 2);
const PER_ROUND = Number(process.env.BENCH_REAL_EPISODES ?? 2);
/** Direct transactions in flight = the engine's worker concurrency. */
const IN_FLIGHT = Number(process.env.BENCH_REAL_CONCURRENCY ?? 1);
const MODE = (process.env.BENCH_REAL_MODE ?? 'auto') as NonNullable<TargetInput['transaction']>;
const PACE = process.env.BENCH_REAL_PACE !== '0';
const redis = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const prefix = `kap-bench-real-${RUN}`;
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The kit's JSON line. */
interface RealEhr {
  fhirBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The server: `REAL_EHR`, else the kit's `start` (idempotent: ~2 s when it runs already), else undefined. */
async function realServer(): Promise<RealEhr | { skipped: string }> {
  if (process.env.REAL_EHR) {
    return JSON.parse(process.env.REAL_EHR) as RealEhr;
  }
  const kit = process.env.REAL_EHR_KIT ?? resolve(ROOT, '../shared/real-ehr');
  const start = resolve(kit, 'start');
  if (!existsSync(start)) {
    return { skipped: `no REAL_EHR and no ${start}` };
  }
  const child = spawn('bash', [start, '--redis-db', process.env.REAL_EHR_REDIS_DB ?? '15'], {
    env: { ...process.env, REAL_EHR_NODE: process.execPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) {
    throw new Error(`real-ehr start failed: ${stderr.trim().split('\n').pop() ?? code}`);
  }
  return JSON.parse(stdout.trim().split('\n').pop() as string) as RealEhr;
}

/** `"fhirInteractions";r=<left>;t=<seconds>` of a `RateLimit` header. */
function quotaOf(header: string | null): { left: number; resetMs: number } | undefined {
  const m = /"fhirInteractions";r=(\d+);t=(\d+)/.exec(header ?? '');
  return m ? { left: Number(m[1]), resetMs: Number(m[2]) * 1000 } : undefined;
}

/** The example episodes (examples/*.json, not invalid/), as JSON, sorted by file name. */
function examples(): { name: string; episode: Record<string, unknown> }[] {
  const dir = resolve(ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), episode: JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Record<string, unknown> }));
}

/** An example as its own episode (episode, patient and MRN ids suffixed), mapped for a clinic. */
function exampleEpisode(example: Record<string, unknown>, suffix: string, clinicId: string): MappedEpisode {
  const e = structuredClone(example) as Record<string, unknown> & { id: string; patient: Record<string, unknown> & { id: string } };
  e.id = `${e.id}-${suffix}`;
  e.patient = { ...e.patient, id: `${e.patient.id}-${suffix}` };
  const ids = e.patient.identifiers as { value: string }[] | undefined;
  if (ids) {
    e.patient.identifiers = ids.map((i) => ({ ...i, value: `${i.value}-${suffix}` }));
  }
  const parsed = parseEpisode(e);
  if (!parsed.ok) {
    throw new Error(`example ${example.id as string}: invalid (${JSON.stringify(parsed.outcome.issue?.map((i) => i.expression))})`);
  }
  return mapClinicEpisode(parsed.episode, clinicId);
}

const server = await realServer();
if ('skipped' in server) {
  out(`real server: skipped (${server.skipped})`);
  process.exit(0);
}
const ehr = server;

const tokenRes = await fetch(ehr.tokenUrl, {
  method: 'POST',
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ehr.clientId, client_secret: ehr.clientSecret }),
});
if (!tokenRes.ok) {
  throw new Error(`token request: HTTP ${tokenRes.status}`);
}
const authorization = `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}`;
const caps = capabilitiesOf((await (await fetch(`${ehr.fhirBaseUrl}/metadata`, { headers: { authorization } })).json()) as CapabilityStatement);

let direct429 = 0;
let direct429WaitMs = 0;
/** Transactions sent again after 409 entries. */
let direct409 = 0;
/** Requests of the direct path in timed phases. */
let directRequests = 0;
/** Last quota state seen (any response of this process). */
let quota: { left: number; resetMs: number; at: number } | undefined;
const noteQuota = (res: Response): void => {
  const q = quotaOf(res.headers.get('ratelimit'));
  if (q) {
    quota = { ...q, at: Date.now() };
  }
};

/** A FHIR request with the direct path's token. */
async function fhir(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${ehr.fhirBaseUrl}/${path}`, {
    ...init,
    headers: { authorization, accept: 'application/fhir+json', 'content-type': 'application/fhir+json', ...init.headers },
  });
  noteQuota(res);
  return res;
}

/**
 * POSTs one episode as one transaction of `_tag`/identifier-keyed conditional PUTs; every entry must
 * answer 2xx. A 429 (whole request, or entries: the quota ran out mid-Bundle) is waited out (RateLimit
 * reset) and the whole transaction sent again (conditional PUTs: idempotent), inside the timing.
 */
async function postDirect(keyed: KeyedEntry[]): Promise<void> {
  const body: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: keyed.map((k): BundleEntry => ({ fullUrl: k.fullUrl, resource: k.resource, request: { method: 'PUT', url: k.url } })),
  };
  const text = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    if (attempt > 10) {
      throw new Error('direct transaction: still refused (429 / 409) after 10 attempts');
    }
    directRequests += 1;
    const res = await fhir('', { method: 'POST', body: text });
    const answer = (await res.json().catch(() => undefined)) as Bundle | undefined;
    const statuses = (answer?.entry ?? []).map((e) => Number(/^\d+/.exec(e.response?.status ?? '')?.[0] ?? 0));
    if (res.status === 429 || statuses.includes(429)) {
      const waitMs = (quotaOf(res.headers.get('ratelimit'))?.resetMs ?? 5000) + 500;
      direct429 += 1;
      direct429WaitMs += waitMs;
      await sleep(waitMs);
      continue;
    }
    // 409 "could not serialize access": conditional writes of concurrent transactions run at
    // SERIALIZABLE isolation there and conflict (even on distinct keys). The entries that went through
    // stay (not atomic), but the others reference them by urn:uuid: the whole transaction goes again.
    if (res.ok && statuses.includes(409) && statuses.every((s) => (s >= 200 && s < 300) || s === 409)) {
      direct409 += 1;
      continue;
    }
    if (!res.ok || statuses.length !== keyed.length || statuses.some((s) => s < 200 || s >= 300)) {
      const counts: Record<string, number> = {};
      statuses.forEach((s) => (counts[s] = (counts[s] ?? 0) + 1));
      const bad = (answer?.entry ?? [])
        .map((e, i) => ({ type: keyed[i]?.key.resourceType, status: e.response?.status, issue: (e.response?.outcome as { issue?: { code?: string; details?: { text?: string } }[] } | undefined)?.issue?.[0] }))
        .filter((x) => !/^2/.test(x.status ?? ''))
        .map((x) => `${x.type} ${x.status} ${x.issue?.code ?? ''} ${x.issue?.details?.text ?? ''}`.trim());
      throw new Error(`direct transaction: HTTP ${res.status}, ${statuses.length}/${keyed.length} entries answered, statuses ${JSON.stringify(counts)}: ${bad.slice(0, 5).join('; ')}`);
    }
    return;
  }
}

// Clinic ids of this run (FHIR ids: letters, digits, '-', '.').
const directClinic = `kbd-${RUN}`;
const engineClinic = `kbe-${RUN}`;
const all = examples();
const plan = Array.from({ length: ROUNDS }, (_, r) => Array.from({ length: PER_ROUND }, (_, i) => all[(r * PER_ROUND + i) % all.length]));

const codec = createAtRestCodec({ current: randomBytes(32) });
const engine = createSyncEngine({
  redis,
  prefix,
  codec,
  concurrency: IN_FLIGHT,
  targets: [
    {
      id: 'real-ehr',
      clinicId: engineClinic,
      type: 'fhir',
      roles: ['ehr'],
      url: ehr.fhirBaseUrl,
      timeoutMs: 30000,
      transaction: MODE,
      auth: { type: 'client-credentials', tokenUrl: ehr.tokenUrl, clientId: ehr.clientId, clientSecret: ehr.clientSecret, method: 'client_secret_post' },
    },
  ],
});

/** Remaining points now (a read of an id that does not exist: 1 point, 404, with the quota header). */
async function quotaNow(): Promise<{ left: number; resetMs: number; at: number } | undefined> {
  quota = undefined;
  const res = await fhir('Organization/00000000-0000-4000-8000-000000000000');
  await res.arrayBuffer();
  return quota;
}

let paceWaitMs = 0;
/** Waits (untimed) for the next quota window when `points` would not fit in what is left of this one. */
async function pace(points: number): Promise<{ left: number; resetMs: number; at: number } | undefined> {
  let q = await quotaNow();
  if (PACE && q && q.left < points) {
    const ms = q.resetMs + 1000;
    paceWaitMs += ms;
    await sleep(ms);
    q = await quotaNow();
  }
  return q;
}

/** Points a phase used, when the window did not end during it. */
function used(before: { left: number; resetMs: number; at: number } | undefined, after: { left: number; at: number } | undefined): number | undefined {
  if (!before || !after || after.at - before.at >= before.resetMs || after.left > before.left) {
    return undefined;
  }
  return before.left - after.left - 1; // minus the probe read
}

interface Phase {
  ms: number;
  episodes: number;
  entries: number;
  points?: number;
}
interface EnginePhase extends Phase {
  statuses: JobStatus[];
}

async function directPhase(bundles: Bundle[]): Promise<Phase> {
  const keyed = bundles.map((b) => keyEntries(b.entry ?? [], caps));
  const entries = keyed.reduce((a, k) => a + k.length, 0);
  const before = await pace(entries * pointsPerEntry.direct * 1.15);
  const t0 = performance.now();
  await pool(keyed, IN_FLIGHT, postDirect);
  const ms = performance.now() - t0;
  const after = await quotaNow();
  return { ms, episodes: bundles.length, entries, points: used(before, after) };
}

async function enginePhase(episodes: MappedEpisode[]): Promise<EnginePhase> {
  const bundles = episodes.map((e) => e.bundle);
  const entries = bundles.reduce((a, b) => a + (b.entry?.length ?? 0), 0);
  const before = await pace(entries * pointsPerEntry.engine * 1.15);
  const t0 = performance.now();
  const jobIds = (await Promise.all(episodes.map((e) => engine.submitEpisode(e)))).flatMap((r) => r.jobIds);
  const statuses = await engine.settle(jobIds, 170_000);
  const ms = performance.now() - t0;
  const after = await quotaNow();
  const bad = statuses.filter((s) => s.state !== 'completed' || s.result?.status !== 'delivered');
  if (bad.length || statuses.length !== bundles.length) {
    const dead = await engine.listDeadLetters(engineClinic);
    throw new Error(
      `engine: ${bad.length} of ${statuses.length} jobs not delivered: ${JSON.stringify(bad.map((s) => ({ state: s.state, result: s.result?.status, attempts: s.attemptsMade })))}; ` +
        `dead letters ${JSON.stringify(dead.map((d) => ({ code: d.code, status: d.status, entries: d.entries?.length })))}`
    );
  }
  return { ms, episodes: bundles.length, entries, points: used(before, after), statuses };
}

/** Points per entry (estimates for pacing; replaced by what the warm-up measures). */
const pointsPerEntry = { direct: 160, engine: 160 };
let exitCode = 0;
try {
  await engine.startWorkers();
  // Warm-up, untimed: token and CapabilityStatement of the engine's target, connections, JIT, and the
  // clinic's Organization created in both clinics before episodes run in parallel (concurrent
  // conditional creates of one key could otherwise make two).
  const smallest = [...all].sort((a, b) => JSON.stringify(a.episode).length - JSON.stringify(b.episode).length)[0];
  const wd = await directPhase([exampleEpisode(smallest.episode, 'warm', directClinic).bundle]);
  const we = await enginePhase([exampleEpisode(smallest.episode, 'warm', engineClinic)]);
  // Counters of the timed phases only.
  directRequests = 0;
  direct409 = 0;
  direct429 = 0;
  direct429WaitMs = 0;
  if (wd.points) {
    pointsPerEntry.direct = wd.points / wd.entries;
  }
  if (we.points) {
    pointsPerEntry.engine = we.points / we.entries;
  }

  const direct: Phase[] = [];
  const queued: EnginePhase[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const suffix = (i: number): string => `r${r + 1}e${i}`;
    const runDirect = async (): Promise<void> => {
      direct.push(await directPhase(plan[r].map((x, i) => exampleEpisode(x.episode, suffix(i), directClinic).bundle)));
    };
    const runEngine = async (): Promise<void> => {
      queued.push(await enginePhase(plan[r].map((x, i) => exampleEpisode(x.episode, suffix(i), engineClinic))));
    };
    // Alternate which path goes first (a quota wait or a load spike then falls on both alike).
    if (r % 2 === 0) {
      await runDirect();
      await runEngine();
    } else {
      await runEngine();
      await runDirect();
    }
    const d = direct[r];
    const q = queued[r];
    const reqs = q.statuses.reduce((a, s) => a + (s.result?.requests ?? 0), 0);
    out(
      `real round ${r + 1} (${plan[r].map((x) => x.name).join(', ')}; ${d.entries} entries): direct ${(d.episodes / (d.ms / 1000)).toFixed(2)}/s (${secs(d.ms)}), ` +
        `engine ${(q.episodes / (q.ms / 1000)).toFixed(2)}/s (${secs(q.ms)}, ${reqs} requests)`
    );
  }

  // What the engine did, from its job results and job data.
  const jobs = queued.flatMap((q) => q.statuses);
  const queue = engine.queues()[0];
  let engine429 = 0;
  let retries = 0;
  let lockWaits = 0;
  for (const s of jobs) {
    const job = await queue.getJob(s.id);
    engine429 += job?.data.rateLimitWaits ?? 0;
    lockWaits += job?.data.lockWaits ?? 0;
    retries += Math.max(0, s.attemptsMade - 1);
  }
  const episodes = ROUNDS * PER_ROUND;
  const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
  const directMs = sum(direct.map((p) => p.ms));
  const engineMs = sum(queued.map((p) => p.ms));
  const entries = sum(direct.map((p) => p.entries));
  const requests = sum(jobs.map((s) => s.result?.requests ?? 0));
  const sent = sum(jobs.map((s) => s.result?.sent ?? 0));
  const modes = [...new Set(jobs.map((s) => s.result?.mode))].join('/');
  const perEntry = (ps: Phase[]): string => {
    const ok = ps.filter((p) => p.points !== undefined);
    return ok.length ? (sum(ok.map((p) => p.points as number)) / sum(ok.map((p) => p.entries))).toFixed(0) : 'n/a';
  };
  const dead = await engine.listDeadLetters();

  // Read back (untimed, a few searches): each clinic holds one resource per key, none missing or doubled.
  const keysOf = (clinic: string): Map<string, number> => {
    const m = new Map<string, number>();
    const tokens = new Set<string>();
    for (let r = 0; r < ROUNDS; r++) {
      plan[r].forEach((x, i) =>
        keyEntries(exampleEpisode(x.episode, `r${r + 1}e${i}`, clinic).bundle.entry ?? [], caps).forEach((k) => {
          if (!tokens.has(k.token)) {
            tokens.add(k.token);
            const q = `${k.key.resourceType}?${k.key.param}=${encodeURIComponent(`${k.key.system}|`)}`;
            m.set(q, (m.get(q) ?? 0) + 1);
          }
        })
      );
    }
    // The warm-up episode's resources are there too.
    keyEntries(exampleEpisode(smallest.episode, 'warm', clinic).bundle.entry ?? [], caps).forEach((k) => {
      if (!tokens.has(k.token)) {
        tokens.add(k.token);
        const q = `${k.key.resourceType}?${k.key.param}=${encodeURIComponent(`${k.key.system}|`)}`;
        m.set(q, (m.get(q) ?? 0) + 1);
      }
    });
    return m;
  };
  const check = async (clinic: string): Promise<string> => {
    const odd: string[] = [];
    for (const [q, expected] of keysOf(clinic)) {
      const res = await fhir(`${q}&_summary=count`);
      const found = res.ok ? ((await res.json()) as Bundle).total : undefined;
      if (found === undefined) {
        return `not checked (${q.split('?')[0]}: HTTP ${res.status}${res.ok ? ', no total' : ''})`;
      }
      if (found !== expected) {
        odd.push(`${q.split('?')[0]} ${found}/${expected}`);
      }
    }
    return odd.length ? `MISMATCH (found/expected) ${odd.join(', ')}` : 'ok (one resource per key)';
  };
  const directCheck = await check(directClinic);
  const engineCheck = await check(engineClinic);

  const dRate = (episodes * 1000) / directMs;
  const eRate = (episodes * 1000) / engineMs;
  out(`real server ${ehr.fhirBaseUrl}: ${ROUNDS} rounds × ${PER_ROUND} episodes per path (examples/*.json, ${entries} entries in all), ${IN_FLIGHT} in flight (direct transactions; engine worker concurrency); engine target transaction=${MODE} → ${modes}`);
  out(`real quota: ${perEntry(direct)} points/entry direct, ${perEntry(queued)} engine; untimed waits for the quota window ${secs(paceWaitMs)}; ` +
    `429 waits inside timed phases: direct ${direct429} (${secs(direct429WaitMs)}), engine ${engine429}`);
  out(`real retries: direct transactions sent again after 409 entries ${direct409}; engine job retries ${retries}, dead letters ${dead.length}, waits for a busy record or resource ${lockWaits}`);
  out(`real read-back: direct clinic ${directCheck}, engine clinic ${engineCheck}`);
  out(`real direct transaction POST: ${dRate.toFixed(2)} episodes/s (${Math.round(directMs)} ms; ${(directRequests / episodes).toFixed(1)} requests per episode)`);
  out(`real through the engine:      ${eRate.toFixed(2)} episodes/s (${Math.round(engineMs)} ms; ${(requests / episodes).toFixed(1)} requests per episode, ` +
    `${(sent / episodes).toFixed(1)} of ${(entries / episodes).toFixed(1)} entries sent per episode${engine429 || retries ? ', last attempt only' : ''})`);
  // The LAST line of `npm run bench:sync`: the real server's ratio (see the header).
  out(`ratio ${(eRate / dRate).toFixed(2)}`);
} catch (err) {
  process.stderr.write(`bench:sync (real server): ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await engine.close();
  await deleteKeysWithPrefix(redis, prefix);
}
process.exit(exitCode);
