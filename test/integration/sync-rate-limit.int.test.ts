/**
 * A target's `rateLimit` ({ max, durationMs }: the BullMQ limiter of its queue) holds its deliveries
 * to at most `max` starts per `durationMs`, measured on the request times the sandbox EHR records;
 * every episode is still delivered. A second target of another clinic, without a limit, gets the
 * same burst at once (the control: the burst does break the property when nothing limits it).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { SandboxRequestRecord } from '../../src/sandbox/sandbox.js';
import { syntheticEpisode } from './helpers/sandbox.js';
import { startSyncHarness, type SyncHarness } from './helpers/sync-harness.js';

const MAX = 2;
const DURATION_MS = 1000;
const BURST = 6;
/**
 * The limiter spaces job starts; a request reaches the sandbox a few ms after its job started (payload,
 * record lock, HTTP), and that delay varies from job to job (up to ~15 ms measured here). The windows
 * checked are shorter by this much so that variation is not read as a second request too many.
 */
const REQUEST_JITTER_MS = 50;

/** The most request starts inside any window [t, t + durationMs) that begins at a request start. */
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

describe('per-target rate limit', () => {
  let h: SyncHarness;
  const free = { id: 'ehr-free', clinicId: 'clinic-b' };

  /** Episode Bundles POSTed to the sandbox whose identifier starts with `episode-<tag>`. */
  const posts = (tag: string): SandboxRequestRecord[] =>
    h.sandbox.controls.requests.filter((r) => r.method === 'POST' && r.url === '/' && r.bundleIdentifier?.startsWith(`episode-${tag}`));
  /** The first request of each delivery (a delivery sends its dependency waves one after another). */
  const deliveryStarts = (tag: string): SandboxRequestRecord[] =>
    posts(tag).filter((r, i, all) => all.findIndex((x) => x.bundleIdentifier === r.bundleIdentifier) === i);

  /** Delivers a warm-up episode (CapabilityStatement cached, shared resources written), then a burst at once. */
  const burst = async (clinicId: string, tag: string): Promise<void> => {
    const warm = await h.engine.submitEpisode(syntheticEpisode({ clinicId, episodeId: `${tag}0` }), { clinicId });
    expect((await h.engine.settle(warm.jobIds)).map((s) => s.result?.status)).toEqual(['delivered']);
    // The burst starts well inside the limiter window the warm-up opened.
    await new Promise((r) => setTimeout(r, 300));
    const episodes = Array.from({ length: BURST }, (_, i) => syntheticEpisode({ clinicId, episodeId: `${tag}${i + 1}` }));
    const submitted = await Promise.all(episodes.map((b) => h.engine.submitEpisode(b, { clinicId })));
    const jobIds = submitted.flatMap((r) => r.jobIds);
    expect(jobIds).toHaveLength(BURST);
    const statuses = await h.engine.settle(jobIds);
    expect(statuses.map((s) => s.result?.status)).toEqual(Array(BURST).fill('delivered'));
  };

  beforeAll(async () => {
    h = await startSyncHarness({
      ehrTarget: { rateLimit: { max: MAX, durationMs: DURATION_MS } },
      extraTargets: (sandbox) => [{ ...free, type: 'fhir', roles: ['ehr'], url: sandbox.baseUrl, timeoutMs: 2000 }],
    });
  });
  afterAll(async () => {
    await h.close();
  });

  test(`rateLimit { max: ${MAX}, durationMs: ${DURATION_MS} }: at most ${MAX} deliveries start in any ${DURATION_MS} ms, all delivered`, async () => {
    await burst(h.clinicId, 'rl-');
    const sent = deliveryStarts('rl-');
    // Every episode (warm-up + burst) delivered, every request accepted.
    expect(sent.map((r) => r.bundleIdentifier?.replace(/-v\d+$/, '')).sort()).toEqual(
      Array.from({ length: BURST + 1 }, (_, i) => `episode-rl-${i}`).sort()
    );
    expect(posts('rl-').every((r) => r.status === 200)).toBe(true);
    expect(await h.sandbox.controls.find('EpisodeOfCare')).toHaveLength(BURST + 1);
    // Request start times recorded by the sandbox: never more than MAX in a window of DURATION_MS (less
    // the jitter above). The burst is measured: the warm-up (first request to the target:
    // CapabilityStatement read, new connection) starts later after its job than the others. It opens
    // the limiter's window, so the burst arrives in the middle of one: BullMQ's fixed window
    // { max: 2, duration: 1000 } let the next two through at its end, 3-4 starts within ~600 ms.
    const starts = sent.filter((r) => r.bundleIdentifier !== 'episode-rl-0-v1').map((r) => r.startedAt);
    expect(starts).toHaveLength(BURST);
    const relative = starts.map((t) => t - starts[0]);
    expect({ maxInWindow: maxInWindow(starts, DURATION_MS - REQUEST_JITTER_MS), relative }).toEqual({ maxInWindow: MAX, relative });
  });

  test('the control: the same burst to a target without a rate limit has more than that in one window', async () => {
    await burst(free.clinicId, 'free-');
    const starts = deliveryStarts('free-').filter((r) => r.bundleIdentifier !== 'episode-free-0-v1').map((r) => r.startedAt);
    expect(starts).toHaveLength(BURST);
    expect(maxInWindow(starts, DURATION_MS)).toBeGreaterThan(MAX);
  });
});
