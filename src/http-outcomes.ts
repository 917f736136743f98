/**
 * The API's error answers, built on Medplum's outcomes (src/outcomes.ts). Medplum's `getStatus()` reads
 * the HTTP status from an outcome's `id` (`not-found` → 404, `business-rule` → 422 …), so an answer takes
 * the `id` of Medplum's own outcome for its status (Medplum's table is the only one) and keeps its own
 * issues: fixed text naming the field, never its value (a 400 needs no id: it is what `getStatus()`
 * answers for an outcome without one, as for Medplum's `badRequest`). The one error handler stays a
 * plain `getStatus()` call.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import {
  businessRule,
  conflict,
  contentTooLarge,
  forbidden,
  getStatus,
  issue,
  notFound,
  OperationOutcomeError,
  outcome,
  preconditionFailed,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from './outcomes.js';

/** The statuses the API answers with an OperationOutcome of its own text (500 has its handler). */
export type OutcomeStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429;

/** Medplum's outcome `id` per status, read off Medplum's outcomes with Medplum's `getStatus()`. */
const MEDPLUM_ID_BY_STATUS: ReadonlyMap<number, string | undefined> = new Map(
  [
    unauthorized,
    forbidden,
    notFound,
    conflict(''),
    preconditionFailed,
    contentTooLarge(''),
    unsupportedMediaType,
    businessRule('', ''),
    tooManyRequests,
  ].map((o) => [getStatus(o), o.id])
);

/**
 * Re-labels an outcome (e.g. a validation result) with a status: Medplum's `id` for it.
 * @param status - the HTTP status
 * @param o - the outcome
 */
export function withStatus(status: OutcomeStatus, o: OperationOutcome): OperationOutcome {
  return status === 400 ? o : { ...o, id: MEDPLUM_ID_BY_STATUS.get(status) };
}

/**
 * An OperationOutcome that `getStatus()` maps to `status`.
 * @param status - the HTTP status
 * @param issues - the issues
 */
export function httpOutcome(status: OutcomeStatus, issues: OperationOutcomeIssue[]): OperationOutcome {
  return withStatus(status, outcome(issues));
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
