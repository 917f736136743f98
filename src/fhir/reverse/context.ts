/**
 * The context of one unmap call: the Bundle index, the clinic's identifier system, the ignored list,
 * and the KAP id of each resource (our business identifier, else the server id, else the fullUrl uuid).
 */
import type { Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { FHIR_ID } from '../../fhir-id.js';
import { parseIdentifierValue, scopeOf } from '../../identity/record-identity.js';
import type { BundleIndex, IndexedEntry } from '../../bundle-index.js';
import type { IgnoredList, IgnoredReason } from './ignored.js';

/** What every `from<Resource>` reader needs. */
export interface UnmapContext {
  /** The Bundle's entries. */
  readonly index: BundleIndex;
  /** The clinic's business identifier system (`https://kap-fhir.org/fhir/clinic/<clinicId>`). */
  readonly clinicSystem: string;
  /** What could not be recovered. */
  readonly ignored: IgnoredList;
  /** Entries read (or recognised as derived): every other entry is reported at the end. */
  readonly used: Set<IndexedEntry>;
}

/** Marks an entry as read. */
export function use(ctx: UnmapContext, entry: IndexedEntry): void {
  ctx.used.add(entry);
}

/**
 * Records one ignored item of an entry.
 * @param ctx - the context
 * @param entry - the entry where it was found
 * @param path - the path inside the resource (e.g. `telecom[2]`), empty for the whole resource
 * @param reason - why
 */
export function ignore(ctx: UnmapContext, entry: IndexedEntry, path: string, reason: IgnoredReason): void {
  ctx.ignored.add(entry.resource.resourceType, path ? `${entry.location}.${path}` : entry.location, reason);
}

/**
 * The KAP id of a resource: the value of our clinic identifier; for a resource from elsewhere (no clinic
 * identifier), its server id or the uuid of its `urn:uuid` fullUrl, when they fit the KAP id pattern.
 * @param entry - the entry
 * @param ctx - the context
 */
export function kapIdOf(entry: IndexedEntry, ctx: UnmapContext): string | undefined {
  const own = ownIdentifier(entry.resource, ctx)?.value;
  if (own !== undefined) {
    return parseIdentifierValue(own).localId;
  }
  const serverId = entry.resource.id;
  if (serverId !== undefined && FHIR_ID.test(serverId)) {
    return serverId;
  }
  const uuid = entry.fullUrl?.startsWith('urn:uuid:') ? entry.fullUrl.slice('urn:uuid:'.length) : undefined;
  return uuid !== undefined && FHIR_ID.test(uuid) ? uuid : undefined;
}

/**
 * The resource's identifier in the clinic's system, if any: a KAP id for the types a clinic's episodes
 * share, `<episodeId>/<localId>` for the others (src/identity/record-identity.ts).
 */
export function ownIdentifier(resource: Resource, ctx: UnmapContext): Identifier | undefined {
  const identifiers = (resource as { identifier?: Identifier | Identifier[] }).identifier;
  const list = Array.isArray(identifiers) ? identifiers : identifiers ? [identifiers] : [];
  const scoped = scopeOf(resource.resourceType) === 'episode';
  return list.find((i) => {
    if (i.system !== ctx.clinicSystem || typeof i.value !== 'string') {
      return false;
    }
    const { episodeId, localId } = parseIdentifierValue(i.value);
    return FHIR_ID.test(localId) && (scoped ? episodeId !== undefined && FHIR_ID.test(episodeId) : episodeId === undefined);
  });
}

/**
 * Resolves a reference to the KAP id of its target, when the target is in the Bundle and of the
 * expected type.
 * @param ref - the reference
 * @param type - the expected resource type
 * @param ctx - the context
 */
export function refId(ref: Reference | undefined, type: Resource['resourceType'], ctx: UnmapContext): string | undefined {
  const target = ctx.index.resolve(ref);
  if (target?.resource.resourceType !== type) {
    return undefined;
  }
  return kapIdOf(target, ctx);
}
