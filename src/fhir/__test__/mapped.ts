/**
 * Test helpers: the fixture episode parsed and mapped, and look-ups into the Bundle by type and identifier.
 */
import type { Bundle, Identifier, Resource, ResourceType, ExtractResource } from '@medplum/fhirtypes';
import { parseIdentifierValue } from '../../identity/record-identity.js';
import { kapEpisodeSchema, type KapEpisode, type KapEpisodeInput } from '../../kap/episode.js';
import { mapEpisode } from '../map-episode.js';
import { fixtureEpisode } from './fixture-episode.js';

/** The parsed fixture episode. */
export function parsedFixture(): KapEpisode {
  return kapEpisodeSchema.parse(fixtureEpisode());
}

/** The fixture episode's Bundle. */
export function mappedFixture(): Bundle {
  return mapEpisode(parsedFixture());
}

/** The identifier value of a resource (array or single identifier). */
export function identifierValue(r: Resource): string | undefined {
  const raw = (r as { identifier?: Identifier | Identifier[] }).identifier;
  return (Array.isArray(raw) ? raw[0] : raw)?.value;
}

/** The KAP id of a mapped resource: its identifier's local id (without the episode scope). */
export function kapIdOf(r: Resource): string | undefined {
  const value = identifierValue(r);
  return value === undefined ? undefined : parseIdentifierValue(value).localId;
}

/**
 * The resource of a type with a KAP id; throws when absent.
 * @param bundle - the Bundle
 * @param type - the resource type
 * @param value - the KAP id (the identifier's local id)
 */
export function find<T extends ResourceType>(bundle: Bundle, type: T, value: string): ExtractResource<T> {
  const r = (bundle.entry ?? [])
    .map((e) => e.resource)
    .find((x): x is ExtractResource<T> => x?.resourceType === type && kapIdOf(x) === value);
  if (!r) {
    throw new Error(`no ${type} ${value}`);
  }
  return r;
}

/** The fullUrl of the entry holding a resource. */
export function fullUrlIn(bundle: Bundle, resource: Resource): string | undefined {
  return bundle.entry?.find((e) => e.resource === resource)?.fullUrl;
}

/**
 * An episode input, changed by `change`, parsed and mapped.
 * @param base - the input (e.g. `detailedEpisode()`)
 * @param change - changes to make before parsing
 */
export function mapInput(base: KapEpisodeInput, change: (ep: KapEpisodeInput) => void = () => undefined): Bundle {
  change(base);
  return mapEpisode(kapEpisodeSchema.parse(base));
}
