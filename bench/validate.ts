/**
 * `npm run bench:validate`: resources/s of (a) stock Medplum `validateResource` against base R4
 * and (b) the full KAP validator against each resource's KAP profile, on the same resources (the
 * package's examples) in the same run: warm-up, then interleaved rounds, medians. Rates are per
 * second of this process's CPU time (`process.cpuUsage`), so that other processes on a shared
 * machine do not skew one side; wall-clock rates are printed too. The last line is exactly
 * `ratio <b/a>`: the median over rounds of (b)/(a) measured back to back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../src/fhir/definitions.js';
import { kapPackageDir, Validator } from '../src/validation/index.js';
import { cpuMs, median, type Rate } from './cpu-rate.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);

function stock(resource: Resource): void {
  try {
    validateResource(resource);
  } catch {
    // an invalid resource still counts as validated
  }
}


/** Runs `fn` over the resources for about `ms` ms of CPU time; returns resources per second. */
function measure(resources: readonly Resource[], fn: (r: Resource) => void, ms: number): Rate {
  let count = 0;
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  let cpu = 0;
  do {
    for (const r of resources) {
      fn(r);
    }
    count += resources.length;
    cpu = cpuMs() - cpu0;
  } while (cpu < ms);
  return { cpu: (count * 1000) / cpu, wall: (count * 1000) / (performance.now() - wall0) };
}

function main(): void {
  loadBaseDefinitions();
  const validator = new Validator();
  const dir = join(kapPackageDir(), 'example');
  const resources = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Resource);
  const kap = (r: Resource): void => {
    validator.validate(r);
  };
  for (let i = 0; i < 3; i++) {
    measure(resources, stock, ROUND_MS / 2);
    measure(resources, kap, ROUND_MS / 2);
  }
  const a: Rate[] = [];
  const b: Rate[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(measure(resources, stock, ROUND_MS));
    b.push(measure(resources, kap, ROUND_MS));
  }
  const ma = median(a.map((r) => r.cpu));
  const mb = median(b.map((r) => r.cpu));
  const wa = median(a.map((r) => r.wall));
  const wb = median(b.map((r) => r.wall));
  // Each round measures (a) then (b) back to back: the median of the per-round ratios cancels most
  // of the drift a shared machine adds.
  const ratio = median(a.map((r, i) => b[i].cpu / r.cpu));
  console.log(`resources: ${resources.length} (the KAP package examples), ${ROUNDS} interleaved rounds of ${ROUND_MS} ms CPU each`);
  console.log(`(a) stock Medplum validateResource, base R4: ${ma.toFixed(0)} resources/s CPU (${wa.toFixed(0)} wall), median`);
  console.log(`(b) KAP validator, KAP profiles:             ${mb.toFixed(0)} resources/s CPU (${wb.toFixed(0)} wall), median`);
  console.log(`wall-clock ratio ${(wb / wa).toFixed(2)}`);
  console.log(`ratio of medians ${(mb / ma).toFixed(2)}; median of per-round ratios below`);
  console.log(`ratio ${ratio.toFixed(2)}`);
}

main();
