/**
 * `npm run bench:summary`: session summary PDFs per second (SessionView -> PDF: the two charts rendered by echarts
 * to SVG, drawn by svg-to-pdfkit, the tables and text by pdfkit), against mapping the same episode
 * (`mapClinicEpisode`: KAP JSON -> the transaction Bundle with its safety signals), in the same run: warm-up, then
 * interleaved rounds of about BENCH_ROUND_MS ms of this process's CPU time each, medians. Rates are per second of
 * CPU time (`process.cpuUsage`), so other processes on a shared machine skew them little; wall-clock rates are
 * printed too. The episode is examples/iv-ketamine-trd.json (6 infusions, each with pre/during/post vitals; PHQ-9
 * over the episode); the summarised session is its last dosing session. The last line is exactly `ratio <b/a>`:
 * the median over rounds of (PDFs per second) / (episode mappings per second), measured back to back — below 1 a
 * PDF costs more than mapping the whole episode. (b) is a cold rendering: the summary caches
 * (src/summary/render-cache.ts) are emptied before each PDF. Printed too, not in the ratio: (c) the same
 * session under another episode id each time (the PDF is rendered, its charts come from the cache: what every
 * new submission of the same sessions costs, e.g. bench:ingest's episodes) and (d) the same view again (the
 * PDF from the cache: an unchanged session in a new version of its episode).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MedicationAdministration } from '@medplum/fhirtypes';
import { parseEpisode } from '../src/kap/episode.js';
import { mapClinicEpisode } from '../src/pipeline/map-clinic-episode.js';
import { projectRoot } from '../src/server/project-root.js';
import { sessionSummaryPdf } from '../src/summary/pdf/session-summary-pdf.js';
import { clearRenderCaches } from '../src/summary/render-cache.js';
import { sessionView } from '../src/summary/read-session-view.js';
import { cpuMs, median, type Rate } from './cpu-rate.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
const EXAMPLE = process.env.BENCH_EXAMPLE ?? 'iv-ketamine-trd';


/** Runs `fn` for about `ms` ms of CPU time; returns runs per second. */
async function measure(fn: () => unknown, ms: number): Promise<Rate> {
  let count = 0;
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  let cpu = 0;
  do {
    await fn();
    count++;
    cpu = cpuMs() - cpu0;
  } while (cpu < ms);
  return { cpu: (count * 1000) / cpu, wall: (count * 1000) / (performance.now() - wall0) };
}

async function main(): Promise<void> {
  const parsed = parseEpisode(JSON.parse(readFileSync(join(projectRoot(), 'examples', `${EXAMPLE}.json`), 'utf8')));
  if (!parsed.ok) {
    throw new Error(`examples/${EXAMPLE}.json does not parse`);
  }
  const episode = parsed.episode;
  const bundle = mapClinicEpisode(episode, 'bench-clinic').bundle;
  const doses = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'MedicationAdministration');
  const last = doses.reduce((a, b) =>
    Date.parse((b.resource as MedicationAdministration).effectivePeriod?.start ?? (b.resource as MedicationAdministration).effectiveDateTime ?? '') >=
    Date.parse((a.resource as MedicationAdministration).effectivePeriod?.start ?? (a.resource as MedicationAdministration).effectiveDateTime ?? '')
      ? b
      : a
  );
  const view = sessionView(bundle, last.fullUrl as string);
  const map = (): unknown => mapClinicEpisode(episode, 'bench-clinic');
  const pdf = (): Promise<Buffer> => {
    clearRenderCaches();
    return sessionSummaryPdf(view);
  };
  let n = 0;
  const otherEpisode = (): Promise<Buffer> => sessionSummaryPdf({ ...view, episodeId: `${view.episodeId}-${++n}` });
  const again = (): Promise<Buffer> => sessionSummaryPdf(view);
  const bytes = (await pdf()).length;
  for (let i = 0; i < 2; i++) {
    await measure(map, ROUND_MS / 2);
    await measure(pdf, ROUND_MS / 2);
  }
  const a: Rate[] = [];
  const b: Rate[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await measure(map, ROUND_MS));
    b.push(await measure(pdf, ROUND_MS));
  }
  const c: Rate[] = [];
  const d: Rate[] = [];
  await measure(otherEpisode, ROUND_MS / 2);
  await measure(again, ROUND_MS / 2);
  for (let i = 0; i < Math.ceil(ROUNDS / 2); i++) {
    c.push(await measure(otherEpisode, ROUND_MS / 2));
    d.push(await measure(again, ROUND_MS / 2));
  }
  const ratio = median(a.map((r, i) => (b[i] as Rate).cpu / r.cpu));
  const line = (label: string, rates: Rate[], unit: string): string =>
    `${label} ${median(rates.map((r) => r.cpu)).toFixed(1)} ${unit}/s CPU (${median(rates.map((r) => r.wall)).toFixed(1)} wall), median`;
  console.log(
    `episode examples/${EXAMPLE}.json: ${bundle.entry?.length} entries; summary of its last dosing session, ${view.vitals.length} vitals, ` +
      `${view.scores.reduce((n, t) => n + t.points.length, 0)} scores, PDF ${(bytes / 1024).toFixed(1)} KiB; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms CPU each`
  );
  console.log(line('(a) mapClinicEpisode (the same episode):  ', a, 'episodes'));
  console.log(line('(b) sessionSummaryPdf (view -> PDF), cold: ', b, 'documents'));
  console.log(line('(c) same session, another episode id:     ', c, 'documents'));
  console.log(line('(d) same view again (cached PDF):         ', d, 'documents'));
  console.log(`ratio of medians ${(median(b.map((r) => r.cpu)) / median(a.map((r) => r.cpu))).toFixed(3)}; median of per-round ratios (documents/s over episodes/s) below`);
  console.log(`ratio ${ratio.toFixed(3)}`);
}

await main();
