/**
 * The clinic → FHIR R4 Organization (base R4, no KAP profile; docs/conventions.md). NPI identifier
 * (`http://hl7.org/fhir/sid/us-npi`) when known.
 */
import type { Identifier, Organization } from '@medplum/fhirtypes';
import { NPI } from '../terminology/systems.js';
import type { MapContext } from './context.js';

/**
 * Maps the episode's clinic to an Organization.
 * @param ctx - the mapping context
 * @returns the Organization (identifier value = clinic id)
 */
export function toOrganization(ctx: MapContext): Organization {
  const clinic = ctx.episode.clinic;
  const identifier: Identifier[] = [ctx.identifier('Organization', clinic.id)];
  if (clinic.npi !== undefined) {
    identifier.push({ system: NPI, value: clinic.npi });
  }
  return { resourceType: 'Organization', identifier, active: true, name: clinic.name };
}
