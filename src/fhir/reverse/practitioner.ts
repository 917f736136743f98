/**
 * FHIR Practitioner (+ its CareTeam participant) → a KAP care-team member (inverse of
 * src/fhir/practitioner.ts and src/fhir/care-team.ts): id, name, NPI; roles and `external` come from
 * the participant.
 */
import type { Practitioner } from '@medplum/fhirtypes';
import type { CareTeamMember } from '../../kap/care-team-member.js';
import { isValidNpi } from '../../kap/primitives.js';
import { NPI } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';

/** A care-team member without its roles (they live on the CareTeam participant). */
export type MemberPerson = Pick<CareTeamMember, 'id' | 'name' | 'npi'>;

/**
 * Reads a Practitioner.
 * @param entry - the Practitioner entry
 * @param ctx - the context
 * @returns the person, or undefined when it has no usable id or name (reported as ignored)
 */
export function fromPractitioner(entry: IndexedEntry<Practitioner>, ctx: UnmapContext): MemberPerson | undefined {
  const pr = entry.resource;
  const id = kapIdOf(entry, ctx);
  const nameIndex = (pr.name ?? []).findIndex((n) => n.family && (n.given ?? []).length > 0);
  if (id === undefined || nameIndex < 0) {
    ignore(ctx, entry, '', 'missing-element');
    return undefined;
  }
  const name = (pr.name ?? [])[nameIndex];
  const person: MemberPerson = { id, name: { given: [...(name.given ?? [])], family: name.family ?? '' } };
  (pr.name ?? []).forEach((_n, i) => {
    if (i !== nameIndex) {
      ignore(ctx, entry, `name[${i}]`, 'unsupported-element');
    }
  });
  const npiIndex = (pr.identifier ?? []).findIndex((i) => i.system === NPI);
  const npi = npiIndex >= 0 ? (pr.identifier ?? [])[npiIndex].value : undefined;
  if (npi !== undefined) {
    if (isValidNpi(npi)) {
      person.npi = npi;
    } else {
      ignore(ctx, entry, `identifier[${npiIndex}]`, 'invalid-value');
    }
  }
  ignoreOtherIdentifiers(ctx, entry, (i) => i.system === NPI);
  ignoreUnknownExtensions(ctx, entry, pr.extension, '', []);
  ignoreUnreadElements(ctx, entry, ['name', 'active']);
  return person;
}
