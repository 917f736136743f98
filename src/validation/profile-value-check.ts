/**
 * What a profile constrains on a value that Medplum's validator skips: to be filled by issue 15
 * (minValue[x] / maxValue[x] from a profile).
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ElementVisit } from './element-walker.js';

/**
 * @param _visit - the value, its element and type
 * @param _issues - where issues go
 */
export function checkProfileValue(_visit: ElementVisit, _issues: OperationOutcomeIssue[]): void {
  // filled by issue 15
}
