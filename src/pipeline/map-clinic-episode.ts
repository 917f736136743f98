/**
 * The map and safety-signal steps of the pipeline: an episode of a clinic becomes the transaction Bundle the
 * EHR receives (the clinic is the tenant, never the body's) with the episode's safety signals (src/safety) as
 * DetectedIssue + Communication entries, and the signals apart for the alerts queue. Every caller takes the
 * Bundle from here — the service's routes, `kap-fhir map`, the tests — so what `kap-fhir map` prints is what
 * the EHR receives, and nobody reads the signals, the episode id or the version back out of the Bundle.
 */
import type { BundleEntry, Communication, DetectedIssue } from '@medplum/fhirtypes';
import { mapEpisode } from '../fhir/map-episode.js';
import type { KapEpisode } from '../kap/episode.js';
import { safetyConfig } from '../safety/config.js';
import { detectSignals, signalEntries, type SafetyOverrides } from '../safety/index.js';
import { sessionSummaryEntries } from '../summary/session-summaries.js';
import type { EpisodeSubmission } from '../../queues/sync-engine.js';

/** A safety signal resource (src/safety/signal-resources.ts). */
export type SignalResource = DetectedIssue | Communication;

/** An episode of a clinic, mapped: what the sync engine takes, with the signals the Bundle carries. */
export interface MappedEpisode extends EpisodeSubmission {
  /** The signals, in Bundle order (DetectedIssue, then its Communication, per signal). */
  signals: SignalResource[];
}

/**
 * Maps an episode of a clinic to the Bundle the EHR receives, safety signals included (before the
 * Provenance: the EHR files them with the episode, the alerts queue sends them on).
 * @param episode - a parsed, valid episode
 * @param clinicId - the tenant (replaces the body's clinic id)
 * @param safety - the clinic's safety thresholds (`clinics[].safety`; absent: the defaults, as `kap-fhir map` uses)
 * @returns the clinic, episode id, version, Bundle and signals
 * @throws OperationOutcomeError when the mapping refuses the episode
 */
export function mapClinicEpisode(episode: KapEpisode, clinicId: string, safety?: SafetyOverrides): MappedEpisode {
  const mapped = mapEpisode({ ...episode, clinic: { ...episode.clinic, id: clinicId } });
  const entries = signalEntries(mapped, detectSignals(mapped, safety));
  const bundle = entries.length === 0 ? mapped : { ...mapped, entry: beforeProvenance(mapped.entry ?? [], entries) };
  const signals = entries.map((e) => e.resource as SignalResource);
  return { clinicId, episodeId: episode.id, version: episode.version, bundle, signals };
}

/**
 * What the EHR and the prescribers receive for an episode of a clinic: `mapClinicEpisode` and, for every dosing
 * session, its summary (a Composition and a DocumentReference with the PDF, src/summary/session-summaries.ts),
 * rendered from the mapped resources and signals. The pipeline and `kap-fhir map` both take the Bundle from here.
 * @param episode - a parsed, valid episode
 * @param clinicId - the tenant
 * @param safety - the clinic's thresholds
 * @param summaries - how many of the latest dosing sessions get their summary (default: SUMMARIES_PER_EPISODE)
 * @throws OperationOutcomeError when the mapping refuses the episode
 */
export async function mapClinicEpisodeWithSummaries(
  episode: KapEpisode,
  clinicId: string,
  safety?: SafetyOverrides,
  summaries?: number
): Promise<MappedEpisode> {
  const mapped = mapClinicEpisode(episode, clinicId, safety);
  const entries = await sessionSummaryEntries(mapped.bundle, clinicId, safetyConfig(safety), summaries);
  if (entries.length === 0) {
    return mapped;
  }
  return { ...mapped, bundle: { ...mapped.bundle, entry: beforeProvenance(mapped.bundle.entry ?? [], entries) } };
}

/** The entries with `added` inserted before the last one when that is the Provenance, else at the end. */
function beforeProvenance(entries: BundleEntry[], added: BundleEntry[]): BundleEntry[] {
  const last = entries.at(-1);
  return last?.resource?.resourceType === 'Provenance'
    ? [...entries.slice(0, -1), ...added, last]
    : [...entries, ...added];
}
