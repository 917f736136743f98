/**
 * FHIR Organization → the KAP clinic (inverse of src/fhir/organization.ts): id = clinic identifier
 * value, name, NPI identifier.
 */
import type { Organization } from '@medplum/fhirtypes';
import type { Clinic } from '../../kap/episode.js';
import { isValidNpi } from '../../kap/primitives.js';
import { NPI } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';

/**
 * Reads the clinic from its Organization.
 * @param entry - the Organization entry
 * @param ctx - the context
 * @returns the clinic, or a partial one (missing name) that the episode schema then rejects
 */
export function fromOrganization(entry: IndexedEntry<Organization>, ctx: UnmapContext): Partial<Clinic> {
  const org = entry.resource;
  const clinic: Partial<Clinic> = {};
  const id = kapIdOf(entry, ctx);
  if (id !== undefined) {
    clinic.id = id;
  }
  if (org.name !== undefined) {
    clinic.name = org.name;
  }
  const npi = (org.identifier ?? []).find((i) => i.system === NPI);
  if (npi?.value !== undefined) {
    if (isValidNpi(npi.value)) {
      clinic.npi = npi.value;
    } else {
      ignore(ctx, entry, `identifier[${(org.identifier ?? []).indexOf(npi)}]`, 'invalid-value');
    }
  }
  ignoreOtherIdentifiers(ctx, entry, (i) => i === npi);
  ignoreUnknownExtensions(ctx, entry, org.extension, '', []);
  ignoreUnreadElements(ctx, entry, ['name', 'active']);
  return clinic;
}
