/**
 * An index over the entries of a Bundle for the way back: entries by resource type, and reference
 * resolution that works for `urn:uuid:` fullUrls (our transaction Bundles), relative `Type/id`
 * references, absolute server URLs (an EHR's searchset or collection Bundle) and logical references by
 * business identifier (`Reference.identifier`, with `Reference.type` when given).
 */
import type { Bundle, Identifier, Reference, Resource } from '@medplum/fhirtypes';

/** One entry of the Bundle with where it sits. */
export interface IndexedEntry<T extends Resource = Resource> {
  /** The resource. */
  resource: T;
  /** Its position in Bundle.entry. */
  index: number;
  /** Its fullUrl, when given. */
  fullUrl?: string;
  /** FHIRPath-like location of the resource: `Bundle.entry[<index>].resource`. */
  location: string;
}

const TYPE_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `Type/id` from a relative or absolute literal reference or fullUrl, if it has that shape. */
function typeAndId(url: string): string | undefined {
  const m = TYPE_ID.exec(url);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Entries of a Bundle, by type and by every name a reference may use for them. */
export class BundleIndex {
  readonly entries: IndexedEntry[] = [];
  private readonly byUrl = new Map<string, IndexedEntry>();
  private readonly byTypeId = new Map<string, IndexedEntry>();
  private readonly byIdentifier = new Map<string, IndexedEntry[]>();

  /**
   * Indexes the entries that carry a resource.
   * @param bundle - the Bundle
   */
  constructor(bundle: Bundle) {
    (bundle.entry ?? []).forEach((entry, index) => {
      const resource = entry.resource;
      if (!resource?.resourceType) {
        return;
      }
      const indexed: IndexedEntry = { resource, index, location: `Bundle.entry[${index}].resource` };
      if (entry.fullUrl) {
        indexed.fullUrl = entry.fullUrl;
        this.byUrl.set(entry.fullUrl, indexed);
        const ti = typeAndId(entry.fullUrl);
        if (ti?.startsWith(`${resource.resourceType}/`)) {
          this.byTypeId.set(ti, indexed);
        }
      }
      if (resource.id) {
        this.byTypeId.set(`${resource.resourceType}/${resource.id}`, indexed);
      }
      const ids = (resource as { identifier?: Identifier | Identifier[] }).identifier;
      for (const i of Array.isArray(ids) ? ids : ids ? [ids] : []) {
        if (i.system && i.value) {
          const key = `${i.system}|${i.value}`;
          this.byIdentifier.set(key, [...(this.byIdentifier.get(key) ?? []), indexed]);
        }
      }
      this.entries.push(indexed);
    });
  }

  /**
   * The entries holding resources of one type, in Bundle order.
   * @param type - the resource type
   */
  ofType<K extends Resource['resourceType']>(type: K): IndexedEntry<Extract<Resource, { resourceType: K }>>[] {
    return this.entries.filter((e) => e.resource.resourceType === type) as IndexedEntry<
      Extract<Resource, { resourceType: K }>
    >[];
  }

  /**
   * Resolves a literal reference to an entry of the Bundle.
   * @param ref - the Reference (`reference`, else `identifier` (+ `type`))
   * @returns the entry, or undefined when it is not in the Bundle
   */
  resolve(ref: Reference | undefined): IndexedEntry | undefined {
    const url = ref?.reference;
    if (!url) {
      return ref?.identifier ? this.resolveIdentifier(ref.identifier, ref.type) : undefined;
    }
    const exact = this.byUrl.get(url);
    if (exact) {
      return exact;
    }
    const ti = typeAndId(url);
    return ti ? this.byTypeId.get(ti) : undefined;
  }

  /** The one entry (of the type, when given) carrying this business identifier; none when ambiguous. */
  private resolveIdentifier(identifier: Identifier, type: string | undefined): IndexedEntry | undefined {
    const found = (this.byIdentifier.get(`${identifier.system ?? ''}|${identifier.value ?? ''}`) ?? []).filter(
      (e) => type === undefined || e.resource.resourceType === type
    );
    return found.length === 1 ? found[0] : undefined;
  }
}
