/**
 * Resources the forward mapping derives from the episode rather than carrying KAP data: Provenance,
 * safety signals (DetectedIssue) and their Communications, the session summaries (Composition and the PDF's
 * DocumentReference, src/summary/session-summaries.ts) and the Spravato REMS record (a QuestionnaireResponse). The way back recognises them (our profile or
 * our identifier system) and skips them without listing them as ignored.
 */
import type { Resource } from '@medplum/fhirtypes';
import { kapProfile } from '../../terminology/systems.js';
import { ownIdentifier, type UnmapContext } from './context.js';

/** The derived types, with their profile when they declare one (else recognised by our identifier alone). */
const DERIVED_PROFILES: Partial<Record<Resource['resourceType'], string | undefined>> = {
  DetectedIssue: kapProfile('kap-safety-signal'),
  Communication: kapProfile('kap-safety-communication'),
  Composition: kapProfile('kap-session-summary'),
  DocumentReference: undefined,
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
  if (resource.resourceType === 'QuestionnaireResponse') {
    // only the Spravato REMS record is derived (src/rems); instrument responses are KAP data
    return resource.meta?.profile?.includes(kapProfile('kap-rems-monitoring-response')) === true;
  }
  if (!(resource.resourceType in DERIVED_PROFILES)) {
    return false;
  }
  const profile = DERIVED_PROFILES[resource.resourceType];
  return (profile !== undefined && resource.meta?.profile?.includes(profile) === true) || ownIdentifier(resource, ctx) !== undefined;
}
