/**
 * FHIR CareTeam + Practitioners → the KAP care team (inverse of src/fhir/care-team.ts): one member per
 * participant, in participant order, with its `kap-care-role` roles; a participant without
 * `onBehalfOf` in our own CareTeam is an external collaborating prescriber. Practitioners that are not
 * participants are left out (`unrelated`): the KAP model knows people only through the care team.
 */
import type { CareTeam, Practitioner } from '@medplum/fhirtypes';
import { CARE_ROLES, type CareRole, type CareTeamMember } from '../../kap/care-team-member.js';
import { KAP_CARE_ROLE } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, ownIdentifier, type UnmapContext } from './context.js';
import { ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { fromPractitioner, type MemberPerson } from './practitioner.js';

/**
 * Reads the care team.
 * @param careTeam - the episode's CareTeam entry (the EpisodeOfCare's team), if any
 * @param practitioners - every Practitioner entry of the Bundle
 * @param ctx - the context
 * @returns the members, in CareTeam participant order
 */
export function fromCareTeam(
  careTeam: IndexedEntry<CareTeam> | undefined,
  practitioners: IndexedEntry<Practitioner>[],
  ctx: UnmapContext
): CareTeamMember[] {
  const people = new Map<IndexedEntry, MemberPerson | undefined>();
  const person = (e: IndexedEntry<Practitioner>): MemberPerson | undefined => {
    if (!people.has(e)) {
      people.set(e, fromPractitioner(e, ctx));
    }
    return people.get(e);
  };
  const members: CareTeamMember[] = [];
  const seen = new Set<string>();
  // Only our own CareTeam says "external" by leaving out onBehalfOf; an EHR's may simply not use it.
  const ours = careTeam !== undefined && ownIdentifier(careTeam.resource, ctx) !== undefined;
  (careTeam?.resource.participant ?? []).forEach((p, i) => {
    const target = ctx.index.resolve(p.member);
    if (!careTeam || target?.resource.resourceType !== 'Practitioner') {
      if (careTeam) {
        ignore(ctx, careTeam, `participant[${i}]`, target ? 'unsupported-element' : 'unresolved-reference');
      }
      return;
    }
    const who = person(target as IndexedEntry<Practitioner>);
    if (!who || seen.has(who.id)) {
      ignore(ctx, careTeam, `participant[${i}]`, who ? 'duplicate' : 'missing-element');
      return;
    }
    const roles: CareRole[] = [];
    (p.role ?? []).forEach((r, j) => {
      const codes = (r.coding ?? []).filter((c) => c.system === KAP_CARE_ROLE && CARE_ROLES.includes(c.code as CareRole));
      if (codes.length === 0) {
        ignore(ctx, careTeam, `participant[${i}].role[${j}]`, 'unknown-code');
      }
      for (const c of codes) {
        if (!roles.includes(c.code as CareRole)) {
          roles.push(c.code as CareRole);
        }
      }
    });
    if (roles.length === 0) {
      ignore(ctx, careTeam, `participant[${i}]`, 'missing-element');
      return;
    }
    seen.add(who.id);
    const external = p.onBehalfOf === undefined && ours;
    members.push({ ...who, roles: roles as CareTeamMember['roles'], ...(external ? { external: true as const } : {}) });
  });
  if (careTeam) {
    ignoreUnknownExtensions(ctx, careTeam, careTeam.resource.extension, '', []);
    ignoreUnreadElements(ctx, careTeam, ['participant', 'status', 'subject', 'managingOrganization', 'encounter']);
  }
  for (const e of practitioners) {
    if (!people.has(e)) {
      ignore(ctx, e, '', 'unrelated');
    }
  }
  return members;
}
