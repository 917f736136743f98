/**
 * OperationOutcome helpers. Medplum's are re-exported as they are (one source of truth, see
 * STYLE.md); only what kap-fhir adds lives here. No helper ever puts a submitted value into an
 * outcome: issues name the field (FHIRPath `expression`), never its content (no PHI).
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ZodError } from 'zod';

export {
  allOk,
  accepted,
  badRequest,
  businessRule,
  conflict,
  contentTooLarge,
  forbidden,
  getStatus,
  isOk,
  isOperationOutcome,
  notFound,
  OperationOutcomeError,
  preconditionFailed,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
  validationError,
} from '@medplum/core';

/** Issue severities kap-fhir emits. */
export type IssueSeverity = OperationOutcomeIssue['severity'];

/**
 * Builds one OperationOutcome issue with a human-readable `details.text` and a FHIRPath
 * `expression`. The text must never carry a submitted value.
 * @param severity - fatal | error | warning | information
 * @param code - the FHIR issue type (e.g. `invalid`, `required`, `code-invalid`)
 * @param text - fixed text describing the problem, without the offending value
 * @param expression - FHIRPath location(s) of the offending element
 * @returns the issue
 */
export function issue(
  severity: IssueSeverity,
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string | string[]
): OperationOutcomeIssue {
  const result: OperationOutcomeIssue = { severity, code, details: { text } };
  if (expression !== undefined) {
    result.expression = Array.isArray(expression) ? expression : [expression];
  }
  return result;
}

/**
 * Wraps issues into an OperationOutcome.
 * @param issues - the issues (an empty list means all is well: one `information` issue is added)
 * @returns the outcome
 */
export function outcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.length > 0 ? issues : [issue('information', 'informational', 'All OK')],
  };
}

/** True when an outcome has an `error` or `fatal` issue. */
export function hasErrors(o: OperationOutcome): boolean {
  return (o.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/**
 * Turns a zod path into a FHIRPath-like expression rooted at `root`:
 * `['sessions', 2, 'vitals', 0, 'systolic']` → `sessions[2].vitals[0].systolic`.
 */
export function zodPathToExpression(path: readonly PropertyKey[], root?: string): string {
  let out = root ?? '';
  for (const p of path) {
    if (typeof p === 'number') {
      out += `[${p}]`;
    } else {
      out += out ? `.${String(p)}` : String(p);
    }
  }
  return out || (root ?? '$this');
}

/**
 * True when a zod issue is a missing field rather than a wrong value. zod 4 records the rejected
 * `input` only when asked to (`reportInput`), so without it the message says what was received;
 * only the type word is read, never a value.
 */
function isMissing(i: ZodError['issues'][number]): boolean {
  if (i.code !== 'invalid_type') {
    return false;
  }
  return 'input' in i ? i.input === undefined : / received undefined$/.test(i.message);
}

/**
 * Fixed text per zod issue code: zod's own messages can echo the rejected value
 * ("received …"), so only messages we wrote ourselves (custom refinements) are kept.
 */
function zodIssueText(i: ZodError['issues'][number]): string {
  switch (i.code) {
    case 'invalid_type':
      return isMissing(i) ? 'Missing required field' : `Expected ${String(i.expected)}`;
    case 'too_small':
      return `Value is below the minimum (${String(i.minimum)})`;
    case 'too_big':
      return `Value is above the maximum (${String(i.maximum)})`;
    case 'invalid_value':
      return 'Value is not one of the allowed values';
    case 'invalid_format':
      return `Invalid format (${String((i as { format?: string }).format ?? 'string')})`;
    case 'unrecognized_keys':
      return 'Unknown field';
    case 'invalid_union':
      return 'Value matches none of the allowed shapes';
    case 'custom':
      return i.message;
    default:
      return 'Invalid value';
  }
}

/**
 * The OperationOutcome for a submission that zod rejected: one `error` issue per zod issue,
 * code `invalid` (or `required` for a missing field), `expression` = the field's path.
 * @param error - the ZodError
 * @param root - optional expression root (e.g. `Episode`)
 * @returns the outcome
 */
export function invalidSubmission(error: ZodError, root?: string): OperationOutcome {
  return outcome(
    error.issues.map((i) => {
      const required = isMissing(i);
      let path: readonly PropertyKey[] = i.path;
      if (i.code === 'unrecognized_keys') {
        path = [...i.path, ...(i.keys.length === 1 ? [i.keys[0]] : [])];
      }
      return issue('error', required ? 'required' : 'invalid', zodIssueText(i), zodPathToExpression(path, root));
    })
  );
}
