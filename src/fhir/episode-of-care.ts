/**
 * The episode → FHIR R4 EpisodeOfCare (`kap-episode`): status, patient, managingOrganization, period,
 * diagnosis → Conditions (rank = position in `indications`), team → CareTeam, and the clinic's
 * source version in the `kap-source-version` extension.
 */
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import type { MapContext } from './context.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';

/**
 * Maps the episode to an EpisodeOfCare.
 * @param ctx - the mapping context
 */
export function toEpisodeOfCare(ctx: MapContext): EpisodeOfCare {
  const ep = ctx.episode;
  return {
    resourceType: 'EpisodeOfCare',
    meta: metaProfile(PROFILES.episode),
    extension: [{ url: EXTENSIONS.sourceVersion, valueInteger: ep.version }],
    identifier: [ctx.identifier('EpisodeOfCare', ep.id)],
    status: ep.status,
    diagnosis: ep.indications.map((ind, i) => ({ condition: ctx.ref('Condition', ind.id), rank: i + 1 })),
    patient: ctx.patient,
    managingOrganization: ctx.organization,
    period: { ...ep.period },
    team: [ctx.ref('CareTeam', ep.id)],
  };
}
