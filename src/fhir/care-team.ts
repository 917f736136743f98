/**
 * The care team → FHIR R4 CareTeam (base R4). One participant per member with its `kap-care-role`
 * roles; members of the clinic act `onBehalfOf` the clinic Organization, an external collaborating
 * prescriber has no `onBehalfOf` (docs/mapping-forward.md). Identifier value = the episode id.
 */
import type { CareTeam } from '@medplum/fhirtypes';
import { coding } from '../terminology/coding.js';
import { CARE_ROLE_CODES } from '../terminology/local-codes.js';
import type { MapContext } from './context.js';

/** CareTeam.status for each episode status (FHIR R4 care-team-status). */
const CARE_TEAM_STATUS = {
  planned: 'proposed',
  active: 'active',
  finished: 'inactive',
  cancelled: 'inactive',
} as const;

/**
 * Maps the episode's care team to a CareTeam.
 * @param ctx - the mapping context
 */
export function toCareTeam(ctx: MapContext): CareTeam {
  const ep = ctx.episode;
  return {
    resourceType: 'CareTeam',
    identifier: [ctx.identifier('CareTeam', ep.id)],
    status: CARE_TEAM_STATUS[ep.status],
    subject: ctx.patient,
    participant: ep.careTeam.map((m) => ({
      role: m.roles.map((r) => ({ coding: [coding(CARE_ROLE_CODES[r])] })),
      member: ctx.ref('Practitioner', m.id),
      ...(m.external === true ? {} : { onBehalfOf: ctx.organization }),
    })),
    managingOrganization: [ctx.organization],
  };
}
