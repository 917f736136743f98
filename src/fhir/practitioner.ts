/**
 * A care-team member → FHIR R4 Practitioner (base R4, no KAP profile). NPI identifier when known.
 * Roles and `external` go on the CareTeam participant (care-team.ts).
 */
import type { Identifier, Practitioner } from '@medplum/fhirtypes';
import type { CareTeamMember } from '../kap/care-team-member.js';
import { NPI } from '../terminology/systems.js';
import type { MapContext } from './context.js';

/**
 * Maps a care-team member to a Practitioner.
 * @param member - the member
 * @param ctx - the mapping context
 */
export function toPractitioner(member: CareTeamMember, ctx: MapContext): Practitioner {
  const identifier: Identifier[] = [ctx.identifier('Practitioner', member.id)];
  if (member.npi !== undefined) {
    identifier.push({ system: NPI, value: member.npi });
  }
  return {
    resourceType: 'Practitioner',
    identifier,
    name: [{ family: member.name.family, given: [...member.name.given] }],
  };
}
