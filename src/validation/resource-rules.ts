/**
 * Rules on any resource that Medplum's validator skips: to be filled by issue 15 (Resource.id,
 * dom-2/3/4/5 on contained resources).
 */
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

/**
 * @param _resource - the resource
 * @param _path - its FHIRPath (e.g. `Bundle.entry[2].resource`)
 * @returns the issues
 */
export function resourceRuleIssues(_resource: Resource, _path: string): OperationOutcomeIssue[] {
  return [];
}
