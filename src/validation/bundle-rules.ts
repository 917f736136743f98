/**
 * Rules on a Bundle as a whole (not its entries' resources): to be filled by issue 15 (absolute
 * fullUrls, one `self` link, references matching several entries, the rules of each Bundle type).
 */
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * @param _bundle - the Bundle
 * @param _path - its FHIRPath (`Bundle`)
 * @returns the issues
 */
export function bundleRuleIssues(_bundle: Bundle, _path: string): OperationOutcomeIssue[] {
  return [];
}
