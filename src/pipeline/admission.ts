/**
 * Admission of an episode for a clinic, before any costly work on it (mapping, profile validation,
 * storage, queues): the work bounds (limits.ts → 413 `too-costly`) and the identifier namespaces
 * (identifier-systems.ts → 422). `submitEpisode` (submit-episode.ts) calls it first, so every path
 * that submits an episode (POST/PUT /v1/episodes, add-session, questionnaire results, POST /fhir) is
 * checked the same way, and a refusal leaves nothing stored or enqueued.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { httpOutcome } from '../http-outcomes.js';
import type { KapEpisode } from '../kap/episode.js';
import { OperationOutcomeError } from '../outcomes.js';
import { limitsSchema, type ServiceConfig } from '../config/service-config.js';
import { identifierSystemIssues } from './identifier-systems.js';
import { episodeLimitIssues } from './limits.js';

/** Rewrites an expression rooted at the episode (e.g. relative to a session being added). */
export type ExpressionRebase = (expression: string) => string;

const DEFAULT_LIMITS = limitsSchema.parse({});

function rebased(issues: OperationOutcomeIssue[], rebase: ExpressionRebase): OperationOutcomeIssue[] {
  return issues.map((i) => ({ ...i, expression: i.expression?.map(rebase) }));
}

/**
 * Refuses an episode the clinic may not submit: over a limit (413), or carrying an identifier system
 * outside the clinic's namespaces (422).
 * @param config - the service configuration (`limits`, `clinics`)
 * @param clinicId - the authenticated clinic (the tenant)
 * @param episode - the parsed episode
 * @param rebase - rewrites the expressions (default: rooted at the episode)
 * @throws OperationOutcomeError naming the collection or field
 */
export function admitEpisode(
  config: Pick<ServiceConfig, 'clinics' | 'limits'>,
  clinicId: string,
  episode: KapEpisode,
  rebase: ExpressionRebase = (e) => e
): void {
  const costly = episodeLimitIssues(config.limits ?? DEFAULT_LIMITS, episode);
  if (costly.length > 0) {
    throw new OperationOutcomeError(httpOutcome(413, rebased(costly, rebase)));
  }
  const foreign = identifierSystemIssues(config, clinicId, episode);
  if (foreign.length > 0) {
    throw new OperationOutcomeError(httpOutcome(422, rebased(foreign, rebase)));
  }
}
