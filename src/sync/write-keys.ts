/**
 * Capability-aware write keys: every entry the engine writes is an idempotent conditional update on a
 * business key the target server can search. Where the server has an `identifier` search on the type,
 * the key is the resource's first identifier (`PUT Type?identifier=system|value`); where it has not
 * (R4 AdverseEvent, Provenance, …), the same `system|value` is carried as a `meta.tag` and the key is
 * `PUT Type?_tag=system|value` (`_tag` is a search parameter of every resource). A client-chosen id
 * (`PUT Type/<id>`) is never used: real servers assign their own.
 */
import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { conditionalUrl, firstIdentifier, firstTag } from '../fhir/bundle.js';
import { contentHash } from './content-hash.js';
import { DeliveryError } from './errors.js';
import type { ServerCapabilities } from './server-capabilities.js';

/** A resource's business key at a server. */
export interface WriteKey {
  resourceType: string;
  /** The search parameter the key is searched by. */
  param: 'identifier' | '_tag';
  system: string;
  value: string;
}

/** One entry as the engine writes it: its key, the resource (with the tag when keyed by tag), its conditional URL. */
export interface KeyedEntry {
  /** Index in the Bundle. */
  index: number;
  fullUrl: string;
  key: WriteKey;
  /** `Type|system|value`: the key as one string (locks, the written cache). */
  token: string;
  resource: Resource;
  /** `Type?param=system|value` (URL-encoded). */
  url: string;
  /** Hash of the resource as the mapping made it (urn:uuid references included): unchanged content, same hash. */
  hash: string;
}

/**
 * The key of a resource at a server.
 * @param resource - the resource
 * @param caps - the server's capabilities
 * @returns the key
 * @throws DeliveryError (rejected, `no-idempotent-key`) when the resource has neither an identifier the
 *   server can search nor a tag
 */
export function writeKeyOf(resource: Resource, caps: ServerCapabilities): WriteKey {
  const params = caps.searchParams(resource.resourceType);
  const id = firstIdentifier(resource);
  if (id && params.has('identifier')) {
    return { resourceType: resource.resourceType, param: 'identifier', system: id.system as string, value: id.value as string };
  }
  const tag = firstTag(resource);
  const byTag = tag ? { system: tag.system as string, value: tag.code as string } : id ? { system: id.system as string, value: id.value as string } : undefined;
  if (byTag && params.has('_tag')) {
    return { resourceType: resource.resourceType, param: '_tag', ...byTag };
  }
  throw new DeliveryError('rejected', 'no-idempotent-key', {
    outcome: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-supported', details: { text: `The target cannot search ${resource.resourceType} by identifier or _tag` } }],
    },
  });
}

/** The key as one string. */
export function keyToken(key: WriteKey): string {
  return `${key.resourceType}|${key.system}|${key.value}`;
}

/** The conditional URL of a key. */
export function keyUrl(key: WriteKey): string {
  return conditionalUrl(key.resourceType, key);
}

/** The resource with its key carried as a tag (when keyed by tag and the tag is not there yet). */
function withKeyTag(resource: Resource, key: WriteKey): Resource {
  if (key.param !== '_tag' || (resource.meta?.tag ?? []).some((t) => t.system === key.system && t.code === key.value)) {
    return resource;
  }
  return { ...resource, meta: { ...resource.meta, tag: [...(resource.meta?.tag ?? []), { system: key.system, code: key.value }] } };
}

/**
 * Keys every entry of a Bundle for a server.
 * @param entries - the Bundle's entries (each with a fullUrl and a resource)
 * @param caps - the server's capabilities
 * @returns the keyed entries, in Bundle order
 */
export function keyEntries(entries: readonly BundleEntry[], caps: ServerCapabilities): KeyedEntry[] {
  return entries.map((e, index) => {
    const original = e.resource as Resource;
    const key = writeKeyOf(original, caps);
    const { id: _ignored, ...withoutId } = original as Resource & { id?: string };
    const resource = withKeyTag(withoutId as Resource, key);
    return {
      index,
      fullUrl: e.fullUrl ?? `urn:uuid:entry-${index}`,
      key,
      token: keyToken(key),
      resource,
      url: keyUrl(key),
      hash: contentHash(original),
    };
  });
}
