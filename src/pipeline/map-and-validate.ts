/**
 * The CPU-heavy middle of a submission: map + safety signals + session summaries (map-clinic-episode.ts), then every resource
 * of the Bundle validated against the KAP profiles. A plain function of its input, so it runs the same in
 * the request's thread or on a worker thread (`episode-processor.ts`); its result is plain data that
 * crosses the thread boundary as it is.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { threadId } from 'node:worker_threads';
import type { KapEpisode } from '../kap/episode.js';
import type { SafetyOverrides } from '../safety/index.js';
import { OperationOutcomeError } from '../outcomes.js';
import { getDefaultValidator } from '../validation/index.js';
import { mapClinicEpisodeWithSummaries, type MappedEpisode } from './map-clinic-episode.js';

/**
 * The result: the mapped episode and its Bundle's warning/error issues, or the mapping's refusal;
 * `threadId` is the thread that did the work (0: the main thread, i.e. the event loop).
 */
export type MapAndValidateResult =
  | { ok: true; mapped: MappedEpisode; issues: OperationOutcomeIssue[]; threadId: number }
  | { ok: false; outcome: OperationOutcome; threadId: number };

/**
 * Maps and validates an episode of a clinic.
 * @param episode - a parsed, valid episode
 * @param clinicId - the tenant
 * @param safety - the clinic's safety thresholds (absent: the defaults)
 * @param summaries - how many of the latest dosing sessions get their summary (limits.summariesPerVersion)
 * @returns the mapped episode and its issues (information dropped), or the mapping's refusal
 */
export async function mapAndValidate(
  episode: KapEpisode,
  clinicId: string,
  safety?: SafetyOverrides,
  summaries?: number
): Promise<MapAndValidateResult> {
  let mapped: MappedEpisode;
  try {
    mapped = await mapClinicEpisodeWithSummaries(episode, clinicId, safety, summaries);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return { ok: false, outcome: err.outcome, threadId };
    }
    throw err;
  }
  const issues = (getDefaultValidator().validate(mapped.bundle).issue ?? []).filter((x) => x.severity !== 'information');
  return { ok: true, mapped, issues, threadId };
}
