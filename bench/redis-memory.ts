/**
 * `npm run bench:redis-memory`: how much Redis memory an episode costs, for sizing (docs/operations.md).
 * Starts the service in this process on the local Redis under a prefix of its own, with `discard` delivery
 * targets (an EHR and a prescriber, as a clinic has), and:
 *   1. queued: POSTs BENCH_EPISODES episodes (a new id each, examples/iv-ketamine-trd.json by default) with no
 *      worker running, then sums `MEMORY USAGE` over every key under the prefix (what a backlog costs);
 *   2. delivered: starts the workers, waits until every queue is empty, and sums again (what stays: the sealed
 *      episode, the delivered payloads until their TTL, the manifests, the written cache, the delivery log).
 * Prints bytes and keys per episode in each state; the last line is `ratio <delivered bytes / queued bytes>`.
 * `MEMORY USAGE` counts the keys' own allocations (not Redis's per-instance overhead), so the figure holds on a
 * shared Redis. Env: BENCH_EPISODES (40), BENCH_EXAMPLE, REDIS_URL (redis://127.0.0.1:6379).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { configSchema } from '../src/config/service-config.js';
import { scanKeys } from '../src/redis-client.js';
import { createServiceSyncEngine } from '../src/server/service-sync-engine.js';
import { startService, type RunningService } from '../src/server/service.js';
import { benchClinic } from './bench-clinic.js';
import { benchEpisode } from './bench-episode.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';

const EPISODES = Number(process.env.BENCH_EPISODES ?? 40);
const EXAMPLE = resolve(process.env.BENCH_EXAMPLE ?? 'examples/iv-ketamine-trd.json');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kap-bench-mem-${randomBytes(4).toString('hex')}`;
const apiKey = `bench-${randomBytes(12).toString('hex')}`;

/** A key's family: its first two segments after the prefix (`sync:payload`, `api:episode`, `<queue>:<id>` → `<queue>:job`). */
function family(key: string): string {
  const [a = '', b = ''] = key.slice(prefix.length + 1).split(':');
  return /^[0-9a-f-]{8,}|^\d+$/.test(b) || b.includes('|') ? `${a}:<job>` : `${a}:${b}`;
}

/** Bytes and keys under the prefix, and bytes by key family. */
async function footprint(redis: Redis): Promise<{ bytes: number; keys: number; families: Map<string, number> }> {
  let bytes = 0;
  let keys = 0;
  const families = new Map<string, number>();
  for await (const batch of scanKeys(redis, `${prefix}*`, 1000)) {
    for (const key of batch) {
      const used = Number((await redis.memory('USAGE', key, 'SAMPLES', '0')) ?? 0);
      bytes += used;
      keys += 1;
      families.set(family(key), (families.get(family(key)) ?? 0) + used);
    }
  }
  return { bytes, keys, families };
}

/** Jobs not yet finished in every queue of the engine. */
async function pending(service: RunningService): Promise<number> {
  let n = 0;
  for (const counts of Object.values(await service.sync.queueCounts())) {
    n += (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
  }
  return n;
}

function line(label: string, f: { bytes: number; keys: number; families: Map<string, number> }): void {
  process.stdout.write(
    `${label.padEnd(10)} ${(f.bytes / EPISODES / 1024).toFixed(1).padStart(8)} KiB/episode  ${(f.keys / EPISODES).toFixed(1).padStart(6)} keys/episode  (${f.keys} keys, ${(f.bytes / 1048576).toFixed(2)} MiB for ${EPISODES} episodes)\n`
  );
  const top = [...f.families].sort((a, b) => b[1] - a[1]).slice(0, 6);
  process.stdout.write(`${''.padEnd(10)} largest: ${top.map(([k, v]) => `${k.replace(/^(ehr-sync|prescriber-delivery|alerts)-[^:]+/, '$1-<target>')} ${(v / EPISODES / 1024).toFixed(0)} KiB`).join(', ')}\n`);
}

async function main(): Promise<void> {
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    redisUrl: REDIS_URL,
    redisUrlExplicit: true,
    redisPrefix: prefix,
    encryptionKey: randomBytes(32).toString('base64'),
    rateLimitPerWindow: 0,
    sandbox: false,
    clinics: [benchClinic(apiKey)],
  });
  const redis = new Redis(REDIS_URL);
  const services: RunningService[] = [];
  try {
    const api = await startService({ config, api: true, workers: false, createSync: createServiceSyncEngine, env: {} });
    services.push(api);
    const template = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    for (let i = 1; i <= EPISODES; i++) {
      const res = await fetch(`${api.url}/v1/episodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(benchEpisode(template, i)),
      });
      if (res.status !== 202) {
        throw new Error(`episode ${i}: HTTP ${res.status}`);
      }
      await res.arrayBuffer();
    }
    process.stdout.write(`bench:redis-memory — ${EPISODES} episodes of ${EXAMPLE.split('/').slice(-1)[0]}, one clinic, an EHR and a prescriber target\n`);
    const queued = await footprint(redis);
    line('queued', queued);

    const workers = await startService({ config, api: false, workers: true, createSync: createServiceSyncEngine, env: {} });
    services.push(workers);
    const deadline = Date.now() + 600_000;
    while ((await pending(workers)) > 0) {
      if (Date.now() > deadline) {
        throw new Error('the queues did not drain in 10 minutes');
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const delivered = await footprint(redis);
    line('delivered', delivered);
    process.stdout.write(`ratio ${(delivered.bytes / queued.bytes).toFixed(3)}\n`);
  } finally {
    for (const s of services.reverse()) {
      await s.close();
    }
    redis.disconnect();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
  }
}

await main();
