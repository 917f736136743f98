/**
 * A target's `rateLimit` ({ max, durationMs }: the BullMQ limiter of its queue) holds its deliveries
 * to at most `max` starts per `durationMs`; every episode is still delivered. Measured twice: on the
 * job starts BullMQ recorded (what the limiter controls) and on the request times the sandbox EHR
 * recorded (what the EHR sees). A second target of another clinic, without a limit, gets the same
 * burst at once (the control: the burst does break the property when nothing limits it).
 *
 * No fixed waits: the burst is submitted as soon as the warm-up is delivered (the limiter, one start
 * per durationMs / max, spaces it wherever its window stands), and the variation between a job's start
 * and its request reaching the sandbox is measured on each delivery rather than assumed — on a busy
 * machine it grows from a few ms to hundreds.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { SandboxRequestRecord } from '../../src/sandbox/sandbox.js';
import { TARGET_TIMEOUT_MS } from '../helpers/timeouts.js';
import { syntheticSubmission } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

const MAX = 2;
const DURATION_MS = 1000;
const BURST = 6;
/**
 * A job's start time is the worker's clock read just before the Redis script that opens or checks the
 * limiter's window runs (BullMQ `processedOn`); the window itself runs on Redis's clock. The windows
 * checked are shorter by this much so the latency between the two is not read as a start too many.
 */
const CLOCK_SLACK_MS = 50;

/** The most starts inside any window [t, t + durationMs) that begins at a start. */
function maxInWindow(starts: number[], durationMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j] < sorted[i] + durationMs) {
      j++;
    }
    most = Math.max(most, j - i);
  }
  return most;
}

/** One delivery of the burst: its job's start and its first request at the sandbox. */
interface Delivery {
  recordId: string;
  attemptsMade: number;
  jobStart: number;
  requestStart: number;
}

describe('per-target rate limit', () => {
  let h: SyncHarness;
  const free = { id: 'ehr-free', clinicId: 'clinic-b' };

  /** The first episode Bundle POSTed to the sandbox for an episode (a delivery sends its waves one after another). */
  const firstPost = (episodeId: string): SandboxRequestRecord | undefined =>
    h.sandbox.controls.requests.find((r) => r.method === 'POST' && r.url === '/' && r.bundleIdentifier === `episode-${episodeId}-v1`);

  /** Delivers a warm-up episode (CapabilityStatement cached, shared resources written), then a burst at once. */
  const burst = async (clinicId: string, tag: string): Promise<Delivery[]> => {
    const warm = await h.engine.submitEpisode(syntheticSubmission({ clinicId, episodeId: `${tag}0` }));
    expect((await h.engine.settle(warm.jobIds)).map((s) => s.result?.status)).toEqual(['delivered']);
    const episodes = Array.from({ length: BURST }, (_, i) => syntheticSubmission({ clinicId, episodeId: `${tag}${i + 1}` }));
    const submitted = await Promise.all(episodes.map((e) => h.engine.submitEpisode(e)));
    const jobIds = submitted.flatMap((r) => r.jobIds);
    expect(jobIds).toHaveLength(BURST);
    const statuses = await h.engine.settle(jobIds);
    expect(statuses.map((s) => s.result?.status)).toEqual(Array(BURST).fill('delivered'));
    const out: Delivery[] = [];
    for (const s of statuses) {
      const jobs = await Promise.all(h.engine.queues().map((q) => q.getJob(s.id)));
      const job = jobs.find((j) => j !== undefined);
      out.push({
        recordId: s.recordId,
        attemptsMade: s.attemptsMade,
        jobStart: job?.processedOn ?? Number.NaN,
        requestStart: firstPost(s.recordId)?.startedAt ?? Number.NaN,
      });
    }
    return out;
  };

  beforeAll(async () => {
    h = await startSyncHarness({
      ehrTarget: { rateLimit: { max: MAX, durationMs: DURATION_MS } },
      extraTargets: (sandbox) => [{ ...free, type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: TARGET_TIMEOUT_MS }],
    });
  });
  afterAll(async () => {
    await h.close();
  });

  test(`rateLimit { max: ${MAX}, durationMs: ${DURATION_MS} }: at most ${MAX} deliveries start in any ${DURATION_MS} ms, all delivered`, async () => {
    const deliveries = await burst(h.clinicId, 'rl-');
    // Every episode (warm-up + burst) delivered once, every request accepted.
    const bundles = h.sandbox.controls.requests.filter((r) => r.method === 'POST' && r.url === '/' && r.bundleIdentifier?.startsWith('episode-rl-'));
    expect([...new Set(bundles.map((r) => r.bundleIdentifier))].sort()).toEqual(Array.from({ length: BURST + 1 }, (_, i) => `episode-rl-${i}-v1`).sort());
    expect(bundles.every((r) => r.status === 200)).toBe(true);
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(BURST + 1);
    // One attempt each: a job's start is its delivery's start (no retry restarted it).
    expect(deliveries.map((d) => [d.recordId, d.attemptsMade])).toEqual(deliveries.map((d) => [d.recordId, 1]));

    // What the limiter controls: the job starts.
    const jobStarts = deliveries.map((d) => d.jobStart);
    const relative = jobStarts.map((t) => t - Math.min(...jobStarts)).sort((a, b) => a - b);
    expect({ atMostMax: maxInWindow(jobStarts, DURATION_MS - CLOCK_SLACK_MS) <= MAX, relative }).toEqual({ atMostMax: true, relative });

    // What the EHR sees: each delivery's first request, a variable time after its job started (payload,
    // record lock, HTTP). Windows shorter by the spread of that time hold no more than the job starts do.
    const lags = deliveries.map((d) => d.requestStart - d.jobStart);
    expect(lags.every((lag) => lag >= 0)).toBe(true);
    const spread = Math.max(...lags) - Math.min(...lags);
    const requestStarts = deliveries.map((d) => d.requestStart);
    expect({ atMostMax: maxInWindow(requestStarts, DURATION_MS - CLOCK_SLACK_MS - spread) <= MAX, lags }).toEqual({ atMostMax: true, lags });
  });

  test('the control: the same burst to a target without a rate limit has more than that in one window', async () => {
    const deliveries = await burst(free.clinicId, 'free-');
    expect(maxInWindow(deliveries.map((d) => d.jobStart), DURATION_MS)).toBeGreaterThan(MAX);
  });
});
