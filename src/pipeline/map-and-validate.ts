/**
 * The CPU-heavy middle of a submission: an episode of a clinic mapped to the transaction Bundle the EHR
 * receives (the clinic is the tenant, never the body's; the episode's safety signals as DetectedIssue +
 * Communication entries) and every resource validated against the KAP profiles. A plain function of its
 * input, so it runs the same in the request's thread or on a worker thread (`episode-processor.ts`).
 */
import type { Bundle, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { mapEpisode } from '../fhir/map-episode.js';
import type { KapEpisode } from '../kap/episode.js';
import { OperationOutcomeError } from '../outcomes.js';
import { detectSignals, signalEntries } from '../safety/index.js';
import { getDefaultValidator } from '../validation/index.js';
import { threadId } from 'node:worker_threads';

/**
 * The result: the Bundle and its warning/error issues, or the mapping's refusal; `threadId` is the thread
 * that did the work (0: the main thread, i.e. the event loop).
 */
export type MapAndValidateResult =
  | { ok: true; bundle: Bundle; issues: OperationOutcomeIssue[]; threadId: number }
  | { ok: false; outcome: OperationOutcome; threadId: number };

/**
 * Adds the episode's safety signals (DetectedIssue + Communication, src/safety) to its Bundle, before the
 * Provenance: the EHR files them with the episode, the alerts queue sends them on.
 * @param bundle - the mapped episode Bundle
 */
export function addSignalEntries(bundle: Bundle): Bundle {
  const entries = signalEntries(bundle, detectSignals(bundle));
  if (entries.length === 0) {
    return bundle;
  }
  const all = [...(bundle.entry ?? [])];
  const last = all.at(-1);
  const tail = last?.resource?.resourceType === 'Provenance' ? [all.pop() as NonNullable<typeof last>] : [];
  return { ...bundle, entry: [...all, ...entries, ...tail] };
}

/**
 * The Bundle the EHR receives for an episode of a clinic.
 * @param episode - a parsed, valid episode
 * @param clinicId - the tenant (replaces the body's clinic id)
 */
export function mapClinicEpisode(episode: KapEpisode, clinicId: string): Bundle {
  return addSignalEntries(mapEpisode({ ...episode, clinic: { ...episode.clinic, id: clinicId } }));
}

/**
 * Maps and validates an episode of a clinic.
 * @param episode - a parsed, valid episode
 * @param clinicId - the tenant
 * @returns the Bundle and its issues (information dropped), or the mapping's refusal
 */
export function mapAndValidate(episode: KapEpisode, clinicId: string): MapAndValidateResult {
  let bundle: Bundle;
  try {
    bundle = mapClinicEpisode(episode, clinicId);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return { ok: false, outcome: err.outcome, threadId };
    }
    throw err;
  }
  const issues = (getDefaultValidator().validate(bundle).issue ?? []).filter((x) => x.severity !== 'information');
  return { ok: true, bundle, issues, threadId };
}
