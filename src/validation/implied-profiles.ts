/**
 * Profiles FHIR R4 applies by content, whatever `meta.profile` says: to be filled by issue 15 (the
 * core vital-signs profiles for an Observation coded with a vital-sign LOINC code).
 */
import type { Resource } from '@medplum/fhirtypes';

/**
 * @param _resource - the resource
 * @returns canonical URLs of the profiles it must meet
 */
export function impliedProfiles(_resource: Resource): string[] {
  return [];
}
