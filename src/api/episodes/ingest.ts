/**
 * The one ingest path behind every write: an episode (new, new version, with a session or a
 * questionnaire added, or read back from a FHIR Bundle) → map → validate every resource against
 * its profile → keep it (encrypted, version compare-and-set) → enqueue. Any refusal throws an
 * outcome before anything is kept or enqueued.
 */
import type { Bundle, Communication, DetectedIssue, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { log } from '../../log.js';
import { hasErrors } from '../../outcomes.js';
import type { AppDeps } from '../deps.js';
import { httpError, httpOutcome } from '../http-outcomes.js';
import type { KapEpisodeLike } from '../ports.js';
import { OperationOutcomeError } from '../../outcomes.js';

/** At most this many warnings are returned with a 202 (`warnings` holds the count). */
const MAX_WARNINGS = 20;

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

/** How the stored version must relate to the submitted one. */
export type VersionRule = 'not-older' | 'newer';

/**
 * Validates a Bundle against the KAP profiles (the validator walks it entry by entry and checks
 * the references between entries).
 * @returns the warning and error issues (expressions rooted at `Bundle.entry[i].resource`)
 */
export async function validateBundle(deps: AppDeps, bundle: Bundle): Promise<OperationOutcomeIssue[]> {
  const result = await deps.validation.validate(bundle);
  return (result.issue ?? []).filter((x) => x.severity !== 'information');
}

/**
 * Maps, validates, keeps and enqueues an episode for a clinic.
 * @param deps - the app's dependencies
 * @param clinicId - the authenticated clinic (the tenant)
 * @param episode - the parsed episode
 * @param requestId - the request id (travels with the jobs)
 * @param rule - `not-older`: a re-submission of the stored version is accepted; `newer`: must be newer
 */
export async function ingestEpisode(
  deps: AppDeps,
  clinicId: string,
  episode: KapEpisodeLike,
  requestId: string,
  rule: VersionRule
): Promise<Accepted> {
  const version = typeof episode.version === 'number' ? episode.version : 1;
  const current = await deps.store.get(clinicId, episode.id);
  if (current && (current.version > version || (rule === 'newer' && current.version === version))) {
    throw httpError(409, 'conflict', 'A newer or equal version of this episode was already accepted', 'version');
  }
  let bundle: Bundle;
  const started = performance.now();
  try {
    bundle = deps.episodes.map(episode, clinicId);
    log.debug(
      { requestId, clinicId, episodeId: episode.id, version, resources: bundle.entry?.length ?? 0, ms: Math.round(performance.now() - started) },
      'episode mapped'
    );
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      deps.metrics.validationFailures.inc({ source: 'mapping' });
      throw new OperationOutcomeError(httpOutcome(422, err.outcome.issue ?? []));
    }
    throw err;
  }
  const validating = performance.now();
  const issues = await validateBundle(deps, bundle);
  log.debug(
    {
      requestId,
      clinicId,
      episodeId: episode.id,
      errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length,
      warnings: issues.filter((i) => i.severity === 'warning').length,
      ms: Math.round(performance.now() - validating),
    },
    'episode validated'
  );
  const o = { resourceType: 'OperationOutcome' as const, issue: issues };
  if (hasErrors(o)) {
    deps.metrics.validationFailures.inc({ source: 'profile' });
    log.info(
      { requestId, clinicId, episodeId: episode.id, errors: issues.filter((i) => i.severity === 'error').length },
      'episode refused by profile validation'
    );
    throw new OperationOutcomeError(httpOutcome(422, issues));
  }
  if (!current || current.version !== version) {
    const kept = await deps.store.put(clinicId, episode.id, version, episode);
    // Another request kept this version (or a newer one) meanwhile: a new version (PUT, an added
    // session or questionnaire) must not be enqueued twice under one version number.
    if (kept !== undefined && (kept > version || rule === 'newer')) {
      throw httpError(409, 'conflict', 'Another version of this episode was accepted meanwhile; retry', 'version');
    }
  }
  const enqueueing = performance.now();
  const { jobIds } = await deps.sync.submitEpisode(bundle, { clinicId, requestId });
  const signals = (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is DetectedIssue | Communication => r?.resourceType === 'DetectedIssue' || r?.resourceType === 'Communication');
  if (signals.length > 0 && deps.sync.submitSignals) {
    const alerts = await deps.sync.submitSignals(signals, { clinicId, requestId, episode: bundle });
    jobIds.push(...alerts.jobIds);
  }
  log.info(
    {
      requestId,
      clinicId,
      episodeId: episode.id,
      version,
      resources: bundle.entry?.length ?? 0,
      jobs: jobIds.length,
      validateMs: Math.round(enqueueing - validating),
      enqueueMs: Math.round(performance.now() - enqueueing),
    },
    'episode accepted'
  );
  return {
    episodeId: episode.id,
    version,
    jobIds,
    requestId,
    ...(issues.length > 0 ? { warnings: issues.length, issues: issues.slice(0, MAX_WARNINGS) } : {}),
  };
}
