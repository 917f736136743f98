/**
 * Work bounds per request (docs/security.md "Limits"): the collections of an episode and the
 * resources it maps to are counted — cheap — before the episode is mapped and every resource
 * validated against its profile (about 1 ms of CPU per resource), so an episode with thousands of
 * vital signs costs milliseconds to refuse, not seconds to process. FHIR bodies (POST /fhir,
 * `$validate`) are bounded by the number of resources they hold, counted before validation.
 * Over a limit: 413 `too-costly` naming the collection, with fixed text.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { httpError } from '../http-outcomes.js';
import type { KapEpisode } from '../kap/episode.js';
import { issue } from '../outcomes.js';
import type { Limits } from '../config/service-config.js';
import { SUMMARIES_PER_EPISODE } from '../summary/session-summaries.js';

/** The collection of an episode as an array (absent or not an array → empty). */
function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** Resources of the mapping per episode whatever its content: Organization, Patient, CareTeam, EpisodeOfCare, Provenance. */
const FIXED_RESOURCES = 5;

/** The object at a key of a session (absent or not an object → undefined). */
function part(session: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = session[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The resources one session maps to, at most: Encounter and Procedure, a MedicationStatement per reviewed
 * medication (or one for "none") and an Observation per screening item (and "none known"); for a dosing session
 * also the MedicationAdministration, the body-weight, CADSS-6, respiratory-depression, discharge-readiness and plan
 * Observations, one Observation per vital sign and one AdverseEvent per side effect.
 */
function sessionResources(session: Record<string, unknown>): number {
  const review = part(session, 'medicationReview');
  const screening = part(session, 'screening');
  const findings = screening ? Object.keys(part(screening, 'findings') ?? {}).length + 1 : 0;
  const common = 2 + (review ? Math.max(1, list(review.medications).length) : 0) + findings;
  return session.kind === 'dosing' ? common + 6 + list(session.vitals).length + list(session.sideEffects).length : common;
}

/**
 * The resources an episode maps to (src/fhir/map-episode.ts), at most, counted from its
 * collections without mapping it, per top-level collection. Safety signals (a DetectedIssue and a
 * Communication each, only for out-of-range values) come on top.
 * @param episode - a parsed episode
 */
export function mappedResourceCounts(episode: KapEpisode, summaries: number = SUMMARIES_PER_EPISODE): Record<string, number> {
  return {
    careTeam: list(episode.careTeam).length,
    indications: list(episode.indications).length,
    prescriptions: list(episode.prescriptions).length,
    sessions: list(episode.sessions).reduce((n, s) => n + sessionResources(s), 0),
    // a QuestionnaireResponse, its score Observation, the PHQ-9 item 9 Observation, the change from baseline
    questionnaires: 4 * list(episode.questionnaires).length,
    // a Composition and a PDF DocumentReference per dosing session, for the latest ones, and for esketamine the REMS
    // record and its PDF (src/summary/session-summaries.ts)
    summaries: 4 * Math.min(summaries, list(episode.sessions).filter((s) => s.kind === 'dosing').length),
  };
}

/**
 * Checks an episode against the limits.
 * @param limits - the configured limits
 * @param episode - a parsed episode
 * @returns one `too-costly` issue per collection over its limit, naming it (empty when within limits)
 */
export function episodeLimitIssues(limits: Limits, episode: KapEpisode): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const over = (expression: string, what: string, limit: number): void => {
    issues.push(issue('error', 'too-costly', `More ${what} than the limit of ${limit}`, expression));
  };
  const sessions = list(episode.sessions);
  if (sessions.length > limits.sessionsPerEpisode) {
    over('sessions', 'sessions in the episode', limits.sessionsPerEpisode);
  }
  sessions.forEach((s, i) => {
    if (list(s.vitals).length > limits.vitalsPerSession) {
      over(`sessions[${i}].vitals`, 'vital signs in the session', limits.vitalsPerSession);
    }
    if (list(s.sideEffects).length > limits.sideEffectsPerSession) {
      over(`sessions[${i}].sideEffects`, 'side effects in the session', limits.sideEffectsPerSession);
    }
  });
  if (list(episode.questionnaires).length > limits.questionnairesPerEpisode) {
    over('questionnaires', 'questionnaire results in the episode', limits.questionnairesPerEpisode);
  }
  if (issues.length === 0) {
    const counts = Object.entries(mappedResourceCounts(episode, limits.summariesPerVersion));
    const total = counts.reduce((n, [, c]) => n + c, FIXED_RESOURCES);
    if (total > limits.resourcesPerRequest) {
      // Named by the collection that contributes the most resources.
      const [largest] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
      over(largest, 'FHIR resources in the episode', limits.resourcesPerRequest);
    }
  }
  return issues;
}

/**
 * Counts the FHIR resources in a body (every object with a string `resourceType`: the body, Bundle
 * entries, contained and nested resources), without recursion, stopping once past `max`.
 * @returns the count, or `max + 1` when there are more
 */
export function fhirResourceCount(body: unknown, max: number): number {
  let count = 0;
  const stack: unknown[] = [body];
  while (stack.length > 0 && count <= max) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (!Array.isArray(v) && typeof (v as { resourceType?: unknown }).resourceType === 'string') {
      count += 1;
    }
    // A loop, not push(...values): a spread of a very long array would overflow the call stack.
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      if (x !== null && typeof x === 'object') {
        stack.push(x);
      }
    }
  }
  return count;
}

/**
 * Refuses (413 `too-costly`) a FHIR body holding more resources than `limits.resourcesPerRequest`,
 * before it is validated.
 * @param limits - the configured limits
 * @param body - the parsed FHIR body (a resource, a Bundle or a Parameters)
 * @throws OperationOutcomeError naming `Bundle.entry` (or the body's resource type)
 */
export function assertFhirBodyWithinLimits(limits: Limits, body: unknown): void {
  if (fhirResourceCount(body, limits.resourcesPerRequest) > limits.resourcesPerRequest) {
    const type = (body as { resourceType?: unknown }).resourceType;
    const root = typeof type === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(type) ? type : 'Bundle';
    throw httpError(413, 'too-costly', `More FHIR resources than the limit of ${limits.resourcesPerRequest}`, root === 'Bundle' ? 'Bundle.entry' : root);
  }
}
