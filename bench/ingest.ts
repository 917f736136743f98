/**
 * `npm run bench:ingest`: sustained ingest through the whole HTTP service, measured with autocannon
 * on loopback against one `kap-fhir start` child process (API + workers, real Redis, `discard`
 * delivery targets so only kap-fhir's own work is measured). Three phases on the same server:
 *   1. GET /health (the server's HTTP floor)
 *   2. POST /v1/episodes (each request a new episode: parse → map → validate → encrypt+keep → enqueue)
 *   3. POST /v1/episodes/{id}/sessions (round-robin over the episodes of phase 2: a new version each)
 * Prints req/s, p50 and p99 latency and non-2xx per phase; the last line is
 * `ratio <episodes per s / health per s>`.
 * Env: BENCH_SECONDS (10 per phase), BENCH_CONNECTIONS (8), BENCH_EXAMPLE (examples/iv-ketamine-trd.json),
 * REDIS_URL (redis://127.0.0.1:6379).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../src/free-port.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const EXAMPLE = resolve(process.env.BENCH_EXAMPLE ?? 'examples/iv-ketamine-trd.json');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kap-bench-${randomBytes(4).toString('hex')}`;
const apiKey = `bench-${randomBytes(12).toString('hex')}`;

/** The part of autocannon's API used here (the package ships no type declarations). */
interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections?: number;
  duration?: number;
  requests?: (RawRequest & { setupRequest?: (req: RawRequest) => RawRequest })[];
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannonModule = 'autocannon';
const autocannon = (await import(autocannonModule)).default as (o: AutocannonOptions) => Promise<AutocannonResult>;

interface Phase {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
}


async function run(name: string, opts: AutocannonOptions): Promise<Phase> {
  const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  const phase = {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx + r.errors,
  };
  process.stdout.write(
    `${name.padEnd(10)} ${phase.rps.toFixed(1).padStart(9)} req/s  p50 ${String(phase.p50).padStart(5)} ms  p99 ${String(phase.p99).padStart(5)} ms  requests ${phase.total}  non-2xx/errors ${phase.non2xx}\n`
  );
  return phase;
}

async function main(): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(tmpdir(), `${prefix}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      clinics: [
        {
          id: 'bench-clinic',
          apiKeySha256: [createHash('sha256').update(apiKey).digest('hex')],
          targets: [
            { id: 'bench-ehr', type: 'discard', roles: ['ehr'] },
            { id: 'bench-rx', type: 'discard', roles: ['prescriber', 'alerts'] },
          ],
        },
      ],
      rateLimitPerWindow: 0,
    })
  );
  const child = spawn(
    process.execPath,
    ['--no-warnings', '--import', './scripts/ts-hooks.ts', 'src/server/main.ts', 'start'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL,
        REDIS_PREFIX: prefix,
        KAP_CONFIG: configFile,
        KAP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }
  );
  try {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${url}/ready`).then((r) => r.ok).catch(() => false);
      if (ok) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const template = readFileSync(EXAMPLE, 'utf8');
    const episode = JSON.parse(template) as { id: string; careTeam: { id: string; roles: string[] }[] };
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const therapist = episode.careTeam.find((m) => m.roles.includes('therapist'))?.id ?? episode.careTeam[0]?.id;
    process.stdout.write(
      `bench:ingest — ${SECONDS} s per phase, ${CONNECTIONS} connections, episode ${EXAMPLE.split('/').slice(-1)[0]}, one server (API + workers)\n`
    );

    const health = await run('health', { url: `${url}/health` });

    let n = 0;
    const episodes = await run('episodes', {
      url,
      requests: [
        {
          method: 'POST',
          path: '/v1/episodes',
          headers,
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...JSON.parse(template), id: `ep-bench-${++n}`, version: 1 }) }),
        },
      ],
    });

    const created = n;
    let s = 0;
    const sessions = await run('sessions', {
      url,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (req) => {
            const i = ++s;
            const ep = (i % Math.max(1, created)) + 1;
            const session = {
              id: `s-bench-${i}`,
              kind: 'integration',
              start: '2026-07-01T10:00:00-04:00',
              end: '2026-07-01T11:00:00-04:00',
              practitionerIds: [therapist],
            };
            return { ...req, path: `/v1/episodes/ep-bench-${ep}/sessions`, body: JSON.stringify(session) };
          },
        },
      ],
    });
    void sessions;
    process.stdout.write(`ratio ${(episodes.rps / health.rps).toFixed(5)}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(configFile, { force: true });
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) {
        await redis.del(...keys);
      }
    } while (cursor !== '0');
    redis.disconnect();
  }
}

await main();
