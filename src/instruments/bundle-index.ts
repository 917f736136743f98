/**
 * Read-only index over the entries of a mapped episode Bundle (docs/conventions.md "The FHIR shape of a KAP
 * episode"): resources by type, and resolution of `urn:uuid:` / `Type/id` / absolute references to entries.
 */
import type { Bundle, Reference, Resource, ResourceType } from '@medplum/fhirtypes';

/** One Bundle entry: its fullUrl (or `Type/id` when it has none) and its resource. */
export interface IndexedEntry<T extends Resource = Resource> {
  ref: string;
  resource: T;
}

/** An index of a Bundle's entries. */
export interface BundleIndex {
  entries: IndexedEntry[];
  /** Entries of one resource type, in Bundle order. */
  ofType<K extends ResourceType>(type: K): IndexedEntry<Extract<Resource, { resourceType: K }>>[];
  /** The entry a reference points to, if it is in the Bundle. */
  resolve(reference: Reference | string | undefined): IndexedEntry | undefined;
}

/**
 * Indexes a Bundle. Entries without a resource are skipped.
 * @param bundle - a transaction, batch or collection Bundle
 */
export function indexBundle(bundle: Bundle): BundleIndex {
  const entries: IndexedEntry[] = [];
  const byRef = new Map<string, IndexedEntry>();
  for (const e of bundle.entry ?? []) {
    const resource = e.resource;
    if (!resource) {
      continue;
    }
    const local = resource.id ? `${resource.resourceType}/${resource.id}` : undefined;
    const ref = e.fullUrl ?? local ?? `${resource.resourceType}/#${entries.length}`;
    const entry: IndexedEntry = { ref, resource };
    entries.push(entry);
    byRef.set(ref, entry);
    if (local) {
      byRef.set(local, entry);
    }
  }
  return {
    entries,
    ofType<K extends ResourceType>(type: K) {
      return entries.filter((e) => e.resource.resourceType === type) as IndexedEntry<
        Extract<Resource, { resourceType: K }>
      >[];
    },
    resolve(reference) {
      const r = typeof reference === 'string' ? reference : reference?.reference;
      if (!r) {
        return undefined;
      }
      return byRef.get(r) ?? byRef.get(r.split('/').slice(-2).join('/'));
    },
  };
}

/** Milliseconds since the epoch of a FHIR dateTime, or undefined. */
export function timeOf(dateTime: string | undefined): number | undefined {
  if (!dateTime) {
    return undefined;
  }
  const t = Date.parse(dateTime);
  return Number.isNaN(t) ? undefined : t;
}
