/**
 * `npm run bench:json-body`: what the JSON body rules cost per request, on a ~1 MB episode (the
 * iv-ketamine example with its sessions repeated; `BENCH_BODY_MB` changes the size), in the same run:
 * - before: `JSON.parse` + the depth/array walk (what express.json + jsonLimits did before the
 *   duplicate-key and lone-surrogate rules);
 * - after: decode + the duplicate-key scan of the raw text (jsonc-parser's visitor, express.json's
 *   `verify`) + `JSON.parse` + the walk with the lone-surrogate check (src/api/json-limits.ts).
 * Interleaved rounds, medians of ms per body. The last line is exactly `ratio <after/before>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLimitBreach, jsonTextBreach } from '../src/api/json-limits.js';
import { projectRoot } from '../src/server/project-root.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 10);
const TARGET_BYTES = Number(process.env.BENCH_BODY_MB ?? 1) * 1024 * 1024;
const MAX_DEPTH = 40;
const MAX_ARRAY = 10000;

/** The depth/array walk as it was before the new rules (the baseline). */
function depthAndArrayOnly(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > MAX_DEPTH) {
      return 'deep';
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY) {
        return 'long';
      }
      for (const x of v) {
        stack.push([x, depth + 1]);
      }
    } else {
      for (const x of Object.values(v)) {
        stack.push([x, depth + 1]);
      }
    }
  }
  return undefined;
}

/** A body of about `bytes` bytes: the iv-ketamine example with renamed copies of its sessions. */
function body(bytes: number): Buffer {
  const episode = JSON.parse(readFileSync(join(projectRoot(), 'examples', 'iv-ketamine-trd.json'), 'utf8')) as {
    sessions: { id: string }[];
  };
  const sessions: unknown[] = [];
  for (let copy = 0; JSON.stringify({ ...episode, sessions }).length < bytes; copy++) {
    sessions.push(...episode.sessions.map((s) => ({ ...s, id: `${s.id}-${copy}` })));
  }
  return Buffer.from(JSON.stringify({ ...episode, sessions }));
}

const before = (buf: Buffer): void => {
  depthAndArrayOnly(JSON.parse(buf.toString('utf8')));
};
const after = (buf: Buffer): void => {
  if (jsonTextBreach(new TextDecoder('utf-8').decode(buf), MAX_DEPTH)) {
    throw new Error('unexpected breach');
  }
  if (jsonLimitBreach(JSON.parse(buf.toString('utf8')), MAX_DEPTH, MAX_ARRAY)) {
    throw new Error('unexpected breach');
  }
};

/** Milliseconds per body over one round. */
function round(fn: (buf: Buffer) => void, buf: Buffer): number {
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    fn(buf);
  }
  return (performance.now() - t0) / PER_ROUND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function main(): void {
  const buf = body(TARGET_BYTES);
  for (let i = 0; i < 3; i++) {
    round(before, buf);
    round(after, buf);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(round(before, buf));
    b.push(round(after, buf));
  }
  const ma = median(a);
  const mb = median(b);
  process.stdout.write(`body ${(buf.length / 1024 / 1024).toFixed(2)} MB, ${ROUNDS} rounds × ${PER_ROUND}\n`);
  process.stdout.write(`before (JSON.parse + depth/array walk)                 ${ma.toFixed(1)} ms per body\n`);
  process.stdout.write(`after  (+ duplicate-key scan, + lone-surrogate check) ${mb.toFixed(1)} ms per body\n`);
  process.stdout.write(`ratio ${(mb / ma).toFixed(2)}\n`);
}

main();
