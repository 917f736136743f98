/**
 * The in-process baseline of `bench:ingest` (bench/ingest.ts runs it as a child under `taskset -c 0`):
 * the CPU work of an episode without HTTP, storage or queue — JSON.parse of the body, `parseEpisode`
 * (src/kap/episode.ts), then `mapAndValidate` (src/pipeline/map-and-validate.ts: map + safety signals +
 * session summaries + profile validation) in this one thread, in a loop, each round a new episode (id and vital
 * signs: bench/bench-episode.ts) as the HTTP bench sends. A few warm-up rounds first (the profiles load on the first). Prints one JSON
 * line: `{"episodes": n, "ms": wall ms, "perSecond": n / s}`.
 * Env: BENCH_SECONDS (10), BENCH_EXAMPLE (examples/iv-ketamine-trd.json), BENCH_WARMUP (3 rounds).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEpisode } from '../src/kap/episode.js';
import { mapAndValidate } from '../src/pipeline/map-and-validate.js';
import { asTenant } from '../src/pipeline/submit-episode.js';
import { benchEpisode } from './bench-episode.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EXAMPLE = resolve(process.env.BENCH_EXAMPLE ?? 'examples/iv-ketamine-trd.json');
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CLINIC = 'bench-clinic';

const template = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;

/** One episode through parse + map + validate, as the service does it for a POST body. */
async function once(n: number): Promise<void> {
  const body = JSON.stringify(benchEpisode(template, n));
  const parsed = parseEpisode(JSON.parse(body));
  if (!parsed.ok) {
    throw new Error(`the bench episode does not parse: ${JSON.stringify(parsed.outcome.issue?.[0]?.expression ?? [])}`);
  }
  const result = await mapAndValidate(asTenant(parsed.episode, CLINIC), CLINIC);
  if (!result.ok || result.issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) {
    throw new Error('the bench episode does not map and validate');
  }
}

let n = 0;
for (let i = 0; i < WARMUP; i++) {
  await once(++n);
}
const started = performance.now();
const until = started + SECONDS * 1000;
let episodes = 0;
while (performance.now() < until) {
  await once(++n);
  episodes++;
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ episodes, ms: Math.round(ms), perSecond: (episodes * 1000) / ms })}\n`, () => {
  // The map path leaves timers behind (a dozen `Timeout`s from its libraries) that would keep this process
  // up for minutes: harmless in the service, whose map threads live as long as it does; here, done is done.
  process.exit(0);
});
