/**
 * Converts Medplum's validation issues to kap-fhir's: severity, code, `details.text` and the
 * FHIRPath `expression` kept, rebased onto the resource's place (e.g. inside a Bundle);
 * `diagnostics` dropped (Medplum may put an error's text or an invariant there); Medplum's
 * reference-type warnings dropped (reference-check.ts does that check).
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * @param issues - Medplum's issues
 * @param from - the root of Medplum's expressions (the schema path, e.g. `Observation`)
 * @param to - the path the resource has in what was submitted (e.g. `Bundle.entry[2].resource`)
 * @returns the converted issues
 */
export function fromMedplumIssues(issues: readonly OperationOutcomeIssue[], from: string, to: string): OperationOutcomeIssue[] {
  return issues.filter((i) => !isReferenceTypeWarning(i)).map((i) => {
    const out: OperationOutcomeIssue = {
      severity: i.severity,
      code: i.code,
      details: { text: i.details?.text ?? 'Invalid value' },
    };
    const expression = (i.expression ?? []).map((e) => rebase(e, from, to));
    out.expression = expression.length > 0 ? expression : [to];
    return out;
  });
}

/** Medplum's reference-type warning: replaced by reference-check.ts (it echoes the reference). */
function isReferenceTypeWarning(i: OperationOutcomeIssue): boolean {
  return i.severity === 'warning' && (i.details?.text ?? '').startsWith('Invalid reference: got ');
}

function rebase(expression: string, from: string, to: string): string {
  if (from === to) {
    return expression;
  }
  if (expression === from) {
    return to;
  }
  if (expression.startsWith(from + '.') || expression.startsWith(from + '[')) {
    return to + expression.slice(from.length);
  }
  return expression;
}
