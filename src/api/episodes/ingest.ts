/**
 * The one ingest path behind every write: an episode (new, new version, with a session or a
 * questionnaire added, or read back from a FHIR Bundle) → map → validate every resource against
 * its profile → keep it (encrypted, version compare-and-set, content hash) → enqueue → record the
 * job ids. Any refusal throws an outcome before anything is kept or enqueued; an enqueue that fails
 * puts the kept version back as it was, so the error leaves no partial write and a retry works.
 * The same version again with the same content gets the first job ids (nothing new enqueued);
 * with other content, 409 on `version`.
 */
import type { Communication, DetectedIssue, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { canonicalHash } from '../canonical-json.js';
import { log } from '../../log.js';
import { hasErrors } from '../../outcomes.js';
import type { AppDeps } from '../deps.js';
import { httpError, httpOutcome } from '../http-outcomes.js';
import type { KapEpisodeLike } from '../ports.js';
import { admitEpisode, type ExpressionRebase } from './admission.js';
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

/** SHA-256 of the episode as canonical JSON (object keys sorted), so key order does not matter. */
export function episodeHash(episode: unknown): string {
  return canonicalHash(episode);
}

const DIFFERENT_CONTENT = 'A different episode was already accepted under this version: send a newer version';

/** How the stored version must relate to the submitted one. */
export type VersionRule = 'not-older' | 'newer';

/**
 * Maps, validates, keeps and enqueues an episode for a clinic.
 * @param deps - the app's dependencies
 * @param clinicId - the authenticated clinic (the tenant)
 * @param episode - the parsed episode
 * @param requestId - the request id (travels with the jobs)
 * @param rule - `not-older`: a re-submission of the stored version is accepted; `newer`: must be newer
 * @param rebase - rewrites the expressions of admission refusals (add-session: relative to the session)
 */
export async function ingestEpisode(
  deps: AppDeps,
  clinicId: string,
  episode: KapEpisodeLike,
  requestId: string,
  rule: VersionRule,
  rebase?: ExpressionRebase
): Promise<Accepted> {
  // Limits and identifier namespaces first: cheap, and nothing costly happens to a refused episode.
  admitEpisode(deps.config, clinicId, episode, rebase);
  const version = typeof episode.version === 'number' ? episode.version : 1;
  const hash = episodeHash(episode);
  const current = await deps.store.get(clinicId, episode.id);
  if (current && (current.version > version || (rule === 'newer' && current.version === version))) {
    throw httpError(409, 'conflict', 'A newer or equal version of this episode was already accepted', 'version');
  }
  // The same version again: with the same content it is a retry (answered with its job ids, nothing
  // enqueued anew); with other content it would never be delivered (the job ids are per version).
  if (current && current.version === version && (current.hash ?? episodeHash(current.episode)) !== hash) {
    throw httpError(409, 'conflict', DIFFERENT_CONTENT, 'version');
  }
  // Map + validate: CPU-heavy, on the worker-thread pool in the service (the event loop stays free).
  const validating = performance.now();
  const mapped = await deps.episodes.mapAndValidate(episode, clinicId);
  deps.metrics.mapValidate.observe({ thread: mapped.threadId === 0 ? 'main' : 'worker' }, (performance.now() - validating) / 1000);
  if (!mapped.ok) {
    deps.metrics.validationFailures.inc({ source: 'mapping' });
    throw new OperationOutcomeError(httpOutcome(422, mapped.outcome.issue ?? []));
  }
  const { bundle, issues } = mapped;
  log.debug(
    {
      requestId,
      clinicId,
      episodeId: episode.id,
      version,
      resources: bundle.entry?.length ?? 0,
      errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length,
      warnings: issues.filter((i) => i.severity === 'warning').length,
      ms: Math.round(performance.now() - validating),
    },
    'episode mapped and validated'
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
  let stored: { previous: string[] } | undefined;
  let resubmission = current?.version === version ? current : undefined;
  if (!resubmission) {
    // Compare-and-set on the version first, so concurrent writers of one version number cannot
    // both enqueue (the job ids are per version).
    const put = await deps.store.put(clinicId, episode.id, version, episode, hash);
    if (put.kept === undefined) {
      stored = put;
    } else if (put.kept > version || rule === 'newer') {
      throw httpError(409, 'conflict', 'Another version of this episode was accepted meanwhile; retry', 'version');
    } else {
      // Another request kept this very version meanwhile.
      resubmission = await deps.store.get(clinicId, episode.id);
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
    jobIds = (await deps.sync.submitEpisode(bundle, { clinicId, requestId })).jobIds;
    const signals = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is DetectedIssue | Communication => r?.resourceType === 'DetectedIssue' || r?.resourceType === 'Communication');
    if (signals.length > 0 && deps.sync.submitSignals) {
      const alerts = await deps.sync.submitSignals(signals, { clinicId, requestId, episode: bundle });
      jobIds.push(...alerts.jobIds);
    }
  } catch (err) {
    // No partial write: the client gets an error, so the kept version goes back to what it was
    // and a retry of this version is accepted (instead of a 409 for a version never delivered).
    if (stored) {
      await deps.store.restore(clinicId, episode.id, version, hash, stored.previous).catch((e: unknown) => {
        log.error({ requestId, clinicId, episodeId: episode.id, err: (e as Error).message }, 'episode store not restored');
      });
    }
    throw err;
  }
  // The jobs are enqueued: the answer is 202 whatever happens here (a resubmission without job ids
  // enqueues the same content again, which is harmless).
  await deps.store.setJobIds(clinicId, episode.id, version, hash, jobIds).catch((e: unknown) => {
    log.warn({ requestId, clinicId, episodeId: episode.id, err: (e as Error).message }, 'job ids not recorded');
  });
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
    ...warningsOf(issues),
  };
}

/** The warnings part of an answer. */
function warningsOf(issues: OperationOutcomeIssue[]): Pick<Accepted, 'warnings' | 'issues'> {
  return issues.length > 0 ? { warnings: issues.length, issues: issues.slice(0, MAX_WARNINGS) } : {};
}
