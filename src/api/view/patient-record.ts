/**
 * The web view's data for one patient of one clinic: the clinic's stored episodes of that patient (the latest
 * version of each, src/pipeline/episode-store.ts), each MAPPED to the Bundle the EHR receives (`mapClinicEpisode`,
 * with the clinic's safety thresholds) and read back, one `SessionView` per dosing session (MedicationAdministration)
 * — the view never reads the clinic JSON itself.
 *
 * The store keeps episodes by (clinic, episode id), not by patient: the clinic's episodes are scanned and opened
 * (`api:episode:<clinic>:*`), which stays cheap at a clinic's scale (hundreds of episodes); an index by patient is
 * the next step if a clinic grows past that.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { scanKeys, type RedisClient } from '../../redis-client.js';
import { log } from '../../log.js';
import type { EpisodeStore, StoredEpisode } from '../../pipeline/episode-store.js';
import { mapClinicEpisode } from '../../pipeline/map-clinic-episode.js';
import type { SafetyOverrides } from '../../safety/config.js';
import type { SessionView } from '../../summary/session-view.js';
import { attributedSignals, episodeSignals, type EpisodeSignal } from './episode-signals.js';

/** Builds the SessionView of the dosing session whose MedicationAdministration has this fullUrl. */
export type SessionViewReader = (bundle: Bundle, maFullUrl: string, safety?: SafetyOverrides) => SessionView;

/** One episode of the patient, as the view shows it. */
export interface EpisodeView {
  episodeId: string;
  version: number;
  /** The dosing sessions, by dose time. */
  sessions: SessionView[];
  /** Every signal of the episode (about a dose or not), with its state. */
  signals: EpisodeSignal[];
  /**
   * The mapped episode Bundle the sessions were read from (the episode summary and the REMS records are rendered
   * from it on request), and the MedicationAdministration fullUrl of each session id.
   */
  mapped?: { bundle: Bundle; doseUrls: ReadonlyMap<string, string> };
}

/** Everything the view shows about one patient of one clinic. */
export interface PatientRecord {
  clinicId: string;
  patientId: string;
  /** The clinic's safety thresholds the record was read with. */
  safety?: SafetyOverrides;
  /** Episodes by the time of their first dose (episodes without dosing sessions last). */
  episodes: EpisodeView[];
}

/** What the record is read from. */
export interface PatientRecordSource {
  redis: RedisClient;
  prefix: string;
  store: EpisodeStore;
  reader: SessionViewReader;
  /** The clinic's safety thresholds (`clinics[].safety`). */
  safety: (clinicId: string) => SafetyOverrides | undefined;
}

/** The ids of a clinic's stored episodes. */
async function episodeIds(redis: RedisClient, prefix: string, clinicId: string): Promise<string[]> {
  const head = `${prefix}:api:episode:${clinicId}:`;
  const ids = new Set<string>();
  for await (const keys of scanKeys(redis, `${escapeGlob(head)}*`, 500)) {
    for (const k of keys) {
      ids.add(k.slice(head.length));
    }
  }
  return [...ids].sort();
}

/** Escapes the glob characters of a SCAN pattern (a prefix may hold `{}`, ids never hold glob characters). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** The MedicationAdministration fullUrls of a Bundle, in Bundle order. */
export function dosingFullUrls(bundle: Bundle): string[] {
  return (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'MedicationAdministration' && e.fullUrl).map((e) => e.fullUrl as string);
}

/**
 * The stored episodes (latest versions) of one patient of one clinic, by episode id.
 * @param source - Redis and the episode store
 * @param clinicId - the clinic (the tenant: only its episodes are read)
 * @param patientId - the clinic's local patient id
 */
export async function patientEpisodes(source: Pick<PatientRecordSource, 'redis' | 'prefix' | 'store'>, clinicId: string, patientId: string): Promise<StoredEpisode[]> {
  const out: StoredEpisode[] = [];
  for (const id of await episodeIds(source.redis, source.prefix, clinicId)) {
    const stored = await source.store.get(clinicId, id);
    if (stored && stored.episode.patient.id === patientId) {
      out.push(stored);
    }
  }
  return out;
}

/**
 * Reads the record of one patient of one clinic.
 * @param source - Redis, the episode store, the SessionView reader, the clinic's thresholds
 * @param clinicId - the clinic (the tenant: only its episodes are read)
 * @param patientId - the clinic's local patient id
 * @returns the record, or undefined when the clinic has no episode of that patient
 */
export async function readPatientRecord(source: PatientRecordSource, clinicId: string, patientId: string): Promise<PatientRecord | undefined> {
  const episodes: EpisodeView[] = [];
  const safety = source.safety(clinicId);
  for (const stored of await patientEpisodes(source, clinicId, patientId)) {
    const id = stored.episode.id;
    let bundle: Bundle;
    try {
      bundle = mapClinicEpisode(stored.episode, clinicId, safety).bundle;
    } catch {
      // Stored episodes were mapped at intake; one the current mapping refuses is left out, named by its ids.
      log.warn({ clinicId, episodeId: id, version: stored.version }, 'view: stored episode no longer maps');
      continue;
    }
    const read = dosingFullUrls(bundle).map((url) => ({ url, view: source.reader(bundle, url, safety) }));
    const sessions = read.map((r) => r.view).sort((a, b) => Date.parse(a.dose.start) - Date.parse(b.dose.start));
    const doseUrls = new Map(read.map((r) => [r.view.sessionId, r.url]));
    episodes.push({
      episodeId: id,
      version: stored.version,
      sessions,
      signals: attributedSignals(episodeSignals(bundle, clinicId), sessions),
      mapped: { bundle, doseUrls },
    });
  }
  if (episodes.length === 0) {
    return undefined;
  }
  const first = (e: EpisodeView): number => (e.sessions[0] ? Date.parse(e.sessions[0].dose.start) : Number.POSITIVE_INFINITY);
  episodes.sort((a, b) => first(a) - first(b) || a.episodeId.localeCompare(b.episodeId));
  return { clinicId, patientId, ...(safety ? { safety } : {}), episodes };
}
