/**
 * The steps after parsing, the same for every write (a new episode, a new version, a session or a
 * questionnaire added, an episode read back from a FHIR Bundle): admit (limits, identifier namespaces)
 * → version rule → map + safety signals + validate every resource against its profile → keep it
 * (encrypted, version compare-and-set, content hash) → enqueue → record the job ids. Any refusal
 * throws an outcome before anything is kept or enqueued; an enqueue that fails puts the kept version
 * back as it was, so the error leaves no partial write and a retry works. The same version again with
 * the same content gets the first job ids (nothing new enqueued); with other content, 409 on `version`.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Counter, Histogram } from 'prom-client';
import { httpError, httpOutcome } from '../http-outcomes.js';
import { canonicalHash } from '../canonical-json.js';
import type { KapEpisode } from '../kap/episode.js';
import { log } from '../log.js';
import { hasErrors, OperationOutcomeError } from '../outcomes.js';
import type { ServiceConfig } from '../config/service-config.js';
import type { SyncEngine } from '../../queues/sync-engine.js';
import { admitEpisode, type ExpressionRebase } from './admission.js';
import type { EpisodeProcessor } from './episode-processor.js';
import type { EpisodeStore } from './episode-store.js';

/** At most this many warnings are returned with a 202 (`warnings` holds the count). */
const MAX_WARNINGS = 20;

/** The counters the pipeline feeds (src/api/metrics.ts registers them). */
export interface PipelineMetrics {
  /** Refusals by source: `schema` (parse), `mapping`, `profile` (validation). */
  validationFailures: Pick<Counter<'source'>, 'inc'>;
  /** Map + validate time by the thread it ran on (`worker`, or `main`: the event loop). */
  mapValidate: Pick<Histogram<'thread'>, 'observe'>;
}

/** What the pipeline works with: the clinics and limits, where episodes are kept, mapped and sent. */
export interface PipelineOptions {
  /** The clinics (identifier namespaces) and the work limits. */
  config: Pick<ServiceConfig, 'clinics' | 'limits'>;
  /** The latest accepted version of each episode. */
  store: EpisodeStore;
  /** Where map + safety signals + validate runs (the calling thread or worker threads). */
  processor: Pick<EpisodeProcessor, 'mapAndValidate'>;
  /** The sync engine the mapped episode is handed to. */
  sync: Pick<SyncEngine, 'submitEpisode'>;
  metrics: PipelineMetrics;
}

/** What a client gets back for an accepted write. */
export interface Accepted {
  episodeId: string;
  version: number;
  jobIds: string[];
  requestId: string;
  /** Number of profile warnings. */
  warnings?: number;
  /** The first warnings (codes and fields only). */
  issues?: OperationOutcomeIssue[];
}

/** SHA-256 of the episode as canonical JSON (object keys sorted), so key order does not matter. */
export function episodeHash(episode: unknown): string {
  return canonicalHash(episode);
}

const DIFFERENT_CONTENT = 'A different episode was already accepted under this version: send a newer version';

/** How the stored version must relate to the submitted one. */
export type VersionRule = 'not-older' | 'newer';

/**
 * The episode with the tenant as its clinic: the authenticated clinic is the episode's clinic.
 * @param episode - the parsed episode
 * @param clinicId - the tenant
 */
export function asTenant(episode: KapEpisode, clinicId: string): KapEpisode {
  return { ...episode, clinic: { ...episode.clinic, id: clinicId } };
}

/**
 * Admits, maps, validates, keeps and enqueues an episode for a clinic.
 * @param options - the pipeline's store, processor, sync engine and metrics
 * @param clinicId - the authenticated clinic (the tenant)
 * @param episode - the parsed episode, its clinic the tenant
 * @param requestId - the request id (travels with the jobs)
 * @param rule - `not-older`: a re-submission of the stored version is accepted; `newer`: must be newer
 * @param rebase - rewrites the expressions of admission refusals (add-session: relative to the session)
 * @throws OperationOutcomeError 409/413/422 naming the field; nothing kept or enqueued
 */
export async function submitEpisode(
  options: PipelineOptions,
  clinicId: string,
  episode: KapEpisode,
  requestId: string,
  rule: VersionRule,
  rebase?: ExpressionRebase
): Promise<Accepted> {
  const { store, metrics } = options;
  // Limits and identifier namespaces first: cheap, and nothing costly happens to a refused episode.
  admitEpisode(options.config, clinicId, episode, rebase);
  const version = episode.version;
  const hash = episodeHash(episode);
  const current = await store.get(clinicId, episode.id);
  if (current && (current.version > version || (rule === 'newer' && current.version === version))) {
    throw httpError(409, 'conflict', 'A newer or equal version of this episode was already accepted', 'version');
  }
  // The same version again: with the same content it is a retry (answered with its job ids, nothing
  // enqueued anew); with other content it would never be delivered (the job ids are per version).
  if (current && current.version === version && (current.hash ?? episodeHash(current.episode)) !== hash) {
    throw httpError(409, 'conflict', DIFFERENT_CONTENT, 'version');
  }
  // Map + safety signals + validate: CPU-heavy, on the worker-thread pool in the service (the event loop stays free).
  const validating = performance.now();
  const safety = options.config.clinics.find((c) => c.id === clinicId)?.safety;
  const result = await options.processor.mapAndValidate(episode, clinicId, safety, options.config.limits.summariesPerVersion);
  metrics.mapValidate.observe({ thread: result.threadId === 0 ? 'main' : 'worker' }, (performance.now() - validating) / 1000);
  if (!result.ok) {
    metrics.validationFailures.inc({ source: 'mapping' });
    throw new OperationOutcomeError(httpOutcome(422, result.outcome.issue ?? []));
  }
  const { mapped, issues } = result;
  const resources = mapped.bundle.entry?.length ?? 0;
  log.debug(
    {
      requestId,
      clinicId,
      episodeId: episode.id,
      version,
      resources,
      errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length,
      warnings: issues.filter((i) => i.severity === 'warning').length,
      ms: Math.round(performance.now() - validating),
    },
    'episode mapped and validated'
  );
  if (hasErrors({ resourceType: 'OperationOutcome', issue: issues })) {
    metrics.validationFailures.inc({ source: 'profile' });
    log.info(
      { requestId, clinicId, episodeId: episode.id, errors: issues.filter((i) => i.severity === 'error').length },
      'episode refused by profile validation'
    );
    throw new OperationOutcomeError(httpOutcome(422, issues));
  }
  let stored: { previous: string[] } | undefined;
  let resubmission = current?.version === version ? current : undefined;
  if (!resubmission) {
    // Compare-and-set on the version first, so concurrent writers of one version number cannot
    // both enqueue (the job ids are per version).
    const put = await store.put(clinicId, episode.id, version, episode, hash);
    if (put.kept === undefined) {
      stored = put;
    } else if (put.kept > version || rule === 'newer') {
      throw httpError(409, 'conflict', 'Another version of this episode was accepted meanwhile; retry', 'version');
    } else {
      // Another request kept this very version meanwhile.
      resubmission = await store.get(clinicId, episode.id);
      if (!resubmission || resubmission.version !== version || (resubmission.hash ?? episodeHash(resubmission.episode)) !== hash) {
        throw httpError(409, 'conflict', DIFFERENT_CONTENT, 'version');
      }
    }
  }
  const enqueueing = performance.now();
  if (resubmission?.jobIds) {
    log.info({ requestId, clinicId, episodeId: episode.id, version, jobs: resubmission.jobIds.length }, 'episode already accepted');
    return { episodeId: episode.id, version, jobIds: [...resubmission.jobIds], requestId, ...warningsOf(issues) };
  }
  // Here either this request stored the version, or the same content is stored without job ids
  // (its enqueue is still running, or it was kept before job ids were recorded): enqueueing the
  // same content again is harmless (same job ids, same payload).
  let jobIds: string[];
  try {
    // The episode jobs, then one alert job per signal and alert target.
    ({ jobIds } = await options.sync.submitEpisode({ ...mapped, requestId }));
  } catch (err) {
    // No partial write: the client gets an error, so the kept version goes back to what it was
    // and a retry of this version is accepted (instead of a 409 for a version never delivered).
    if (stored) {
      await store.restore(clinicId, episode.id, version, hash, stored.previous).catch((e: unknown) => {
        log.error({ requestId, clinicId, episodeId: episode.id, err: (e as Error).message }, 'episode store not restored');
      });
    }
    throw err;
  }
  // The jobs are enqueued: the answer is 202 whatever happens here (a resubmission without job ids
  // enqueues the same content again, which is harmless).
  await store.setJobIds(clinicId, episode.id, version, hash, jobIds).catch((e: unknown) => {
    log.warn({ requestId, clinicId, episodeId: episode.id, err: (e as Error).message }, 'job ids not recorded');
  });
  log.info(
    {
      requestId,
      clinicId,
      episodeId: episode.id,
      version,
      resources,
      jobs: jobIds.length,
      validateMs: Math.round(enqueueing - validating),
      enqueueMs: Math.round(performance.now() - enqueueing),
    },
    'episode accepted'
  );
  return { episodeId: episode.id, version, jobIds, requestId, ...warningsOf(issues) };
}

/** The warnings part of an answer. */
function warningsOf(issues: OperationOutcomeIssue[]): Pick<Accepted, 'warnings' | 'issues'> {
  return issues.length > 0 ? { warnings: issues.length, issues: issues.slice(0, MAX_WARNINGS) } : {};
}
