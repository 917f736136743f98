/**
 * FHIR EpisodeOfCare → the episode's own fields (inverse of src/fhir/episode-of-care.ts): id, status,
 * period and the clinic's source version (`kap-source-version`); `diagnosis` gives the indications'
 * order (by rank) and `team` the CareTeam.
 */
import type { EpisodeOfCare, Reference } from '@medplum/fhirtypes';
import type { KapEpisode } from '../../kap/episode.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';

/** What the EpisodeOfCare gives. */
export interface EpisodeDraft {
  id?: string;
  version?: number;
  status?: string;
  period?: KapEpisode['period'];
  /** References to the Conditions, in rank order. */
  diagnoses: Reference[];
  /** References to the CareTeams. */
  teams: Reference[];
}

/**
 * Reads the EpisodeOfCare.
 * @param entry - the EpisodeOfCare entry
 * @param ctx - the context
 */
export function fromEpisodeOfCare(entry: IndexedEntry<EpisodeOfCare>, ctx: UnmapContext): EpisodeDraft {
  const eoc = entry.resource;
  const draft: EpisodeDraft = {
    diagnoses: [...(eoc.diagnosis ?? [])]
      .map((d, i) => ({ d, i }))
      .sort((a, b) => (a.d.rank ?? Infinity) - (b.d.rank ?? Infinity) || a.i - b.i)
      .map(({ d }) => d.condition),
    teams: eoc.team ?? [],
  };
  const id = kapIdOf(entry, ctx);
  if (id !== undefined) {
    draft.id = id;
  }
  const version = (eoc.extension ?? []).find((e) => e.url === EXTENSIONS.sourceVersion)?.valueInteger;
  if (version !== undefined) {
    draft.version = version;
  }
  if (eoc.status !== undefined) {
    draft.status = eoc.status;
  }
  if (eoc.period?.start !== undefined) {
    draft.period = { start: eoc.period.start, ...(eoc.period.end !== undefined ? { end: eoc.period.end } : {}) };
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, eoc.extension, '', [EXTENSIONS.sourceVersion]);
  ignoreUnreadElements(ctx, entry, ['status', 'period', 'diagnosis', 'team', 'patient', 'managingOrganization']);
  return draft;
}
