/**
 * UCUM units: a Quantity (or Age, Duration, …) whose `system` is UCUM must carry a `code` that is a
 * valid UCUM expression (FHIR R4 datatypes.html#Quantity: "the code SHALL be a UCUM code when the
 * system is UCUM"; the HL7 validator reports an invalid one as an error). Parsed by the UCUM
 * reference library of the NLM (`@lhncbc/ucum-lhc`), not a grammar of our own; each distinct code
 * is parsed once per process.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';

/** The UCUM code system. */
export const UCUM = 'http://unitsofmeasure.org';

/** The quantity types (a Quantity and its specialisations and profiles). */
const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']);

let utils: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | undefined;
const verdicts = new Map<string, boolean>();
const MAX_CACHED = 10_000;

/**
 * Is `code` a valid UCUM expression?
 * @param code - a unit code
 * @returns true when valid
 */
export function isValidUcum(code: string): boolean {
  let valid = verdicts.get(code);
  if (valid === undefined) {
    utils ??= ucum.UcumLhcUtils.getInstance();
    try {
      valid = utils.validateUnitString(code, false).status === 'valid';
    } catch {
      valid = false;
    }
    if (verdicts.size >= MAX_CACHED) {
      verdicts.clear();
    }
    verdicts.set(code, valid);
  }
  return valid;
}

/**
 * Checks the unit of one quantity value.
 * @param type - the value's type code
 * @param value - the value
 * @param path - FHIRPath expression of the value
 * @param issues - where issues go
 */
export function checkUcum(type: string, value: unknown, path: string, issues: OperationOutcomeIssue[]): void {
  if (!QUANTITY_TYPES.has(type) || !value || typeof value !== 'object') {
    return;
  }
  const q = value as { system?: unknown; code?: unknown };
  if (q.system !== UCUM || typeof q.code !== 'string') {
    return;
  }
  if (!isValidUcum(q.code)) {
    issues.push(issue('error', 'code-invalid', `The unit code is not a valid UCUM expression (system ${UCUM})`, path));
  }
}
