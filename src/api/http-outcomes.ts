/**
 * Outcomes that carry their HTTP status: Medplum's `getStatus()` reads the status from the
 * outcome's `id` (`not-found` → 404, `business-rule` → 422 …), so the API sets that id and the
 * one error handler stays a plain `getStatus()` call.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue, OperationOutcomeError, outcome } from '../outcomes.js';

const ID_BY_STATUS = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'content-too-large',
  415: 'unsupported-media-type',
  422: 'business-rule',
  429: 'too-many-requests',
} as const;

/** The statuses `httpOutcome` can express (400 and 500 need no id). */
export type OutcomeStatus = keyof typeof ID_BY_STATUS | 400;

/**
 * An OperationOutcome that `getStatus()` maps to `status`.
 * @param status - the HTTP status
 * @param issues - the issues
 */
export function httpOutcome(status: OutcomeStatus, issues: OperationOutcomeIssue[]): OperationOutcome {
  const o = outcome(issues);
  return status === 400 ? o : { ...o, id: ID_BY_STATUS[status] };
}

/**
 * An error to throw: status + one issue with fixed text.
 * @param status - the HTTP status
 * @param code - FHIR issue type
 * @param text - fixed text (never a submitted value)
 * @param expression - the field concerned
 */
export function httpError(
  status: OutcomeStatus,
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string | string[]
): OperationOutcomeError {
  return new OperationOutcomeError(httpOutcome(status, [issue('error', code, text, expression)]));
}

/** Re-labels an outcome (e.g. a validation result) with a status. */
export function withStatus(status: OutcomeStatus, o: OperationOutcome): OperationOutcome {
  return status === 400 ? o : { ...o, id: ID_BY_STATUS[status] };
}
