/**
 * Resources the forward mapping derives from the episode rather than carrying KAP data: Provenance,
 * safety signals (DetectedIssue) and their Communications. The way back recognises them (our profile or
 * our identifier system) and skips them without listing them as ignored.
 */
import type { Resource } from '@medplum/fhirtypes';
import { kapProfile } from '../../terminology/systems.js';
import { ownIdentifier, type UnmapContext } from './context.js';

const DERIVED_PROFILES: Partial<Record<Resource['resourceType'], string>> = {
  DetectedIssue: kapProfile('kap-safety-signal'),
  Communication: kapProfile('kap-safety-communication'),
};

/**
 * True for a resource the forward mapping derives (skipped silently on the way back).
 * @param resource - the resource
 * @param ctx - the context
 */
export function isDerived(resource: Resource, ctx: UnmapContext): boolean {
  if (resource.resourceType === 'Provenance') {
    return (resource.meta?.tag ?? []).some((t) => t.system === ctx.clinicSystem);
  }
  const profile = DERIVED_PROFILES[resource.resourceType];
  if (profile === undefined) {
    return false;
  }
  return resource.meta?.profile?.includes(profile) === true || ownIdentifier(resource, ctx) !== undefined;
}
