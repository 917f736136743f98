/**
 * The Provenance of one mapped episode version (base R4): target → every other entry, recorded = the
 * episode's `updatedAt`, agent = the clinic Organization, activity v3-DataOperation#UPDATE.
 * R4 Provenance has no `identifier`: its business key is a `meta.tag` with the clinic's identifier
 * system and code `episode-<episodeId>-v<version>` (the Bundle identifier's value), and its entry is a
 * conditional update on `_tag` (docs/mapping-forward.md).
 */
import type { Coding, Provenance, Reference } from '@medplum/fhirtypes';
import { coding } from '../terminology/coding.js';
import { PROVENANCE_ACTIVITY_UPDATE } from '../terminology/local-codes.js';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import type { MapContext } from './context.js';

/**
 * The version key of an episode: `episode-<id>-v<version>` (Bundle.identifier value, Provenance tag).
 * @param ctx - the mapping context
 */
export function episodeVersionKey(ctx: MapContext): string {
  return `episode-${ctx.episode.id}-v${ctx.episode.version}`;
}

/**
 * The business key of a Provenance: R4 Provenance has no `identifier`, so it is keyed by a `meta.tag` in
 * the clinic's identifier system, and its Bundle entry is a conditional update on `_tag`
 * (`transactionEntry`, src/fhir/bundle.ts). The one scheme for every Provenance kap-fhir sends: the
 * episode's (code `episode-<id>-v<version>`) and the prescriber Bundle's (`prov-dosing-…`, src/sync).
 * @param clinicId - the clinic's id
 * @param code - the key, unique per clinic (a record and its version)
 */
export function provenanceKey(clinicId: string, code: string): Coding {
  return { system: clinicIdentifierSystem(clinicId), code };
}

/**
 * The tag that identifies the Provenance of an episode version.
 * @param ctx - the mapping context
 */
export function provenanceTag(ctx: MapContext): Coding {
  return provenanceKey(ctx.episode.clinic.id, episodeVersionKey(ctx));
}

/**
 * Makes the Provenance of a mapped episode.
 * @param targets - references to every other entry of the Bundle, in entry order
 * @param ctx - the mapping context
 */
export function toProvenance(targets: Reference[], ctx: MapContext): Provenance {
  return {
    resourceType: 'Provenance',
    meta: { tag: [provenanceTag(ctx)] },
    target: targets.map((t) => ({ ...t })),
    recorded: ctx.episode.updatedAt,
    activity: { coding: [coding(PROVENANCE_ACTIVITY_UPDATE)] },
    agent: [{ who: ctx.organization }],
  };
}
