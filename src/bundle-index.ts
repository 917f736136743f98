/**
 * The entries of a Bundle, indexed by every name a reference may use for them (FHIR R4
 * bundle.html#references): the `fullUrl` (`urn:uuid:` in our transaction Bundles, a server URL in an
 * EHR's searchset), `Type/id` (relative, absolute or versioned: src/literal-reference.ts), a conditional
 * reference (`Type?identifier=system|value`: the entry's own conditional `request.url` / `ifNoneExist`,
 * else the one identifier it carries) and a logical reference (`Reference.identifier`, with
 * `Reference.type` when given). One index serves the validator, the safety rules, the instruments and
 * the way back.
 */
import type { Bundle, Identifier, Reference, Resource, ResourceType } from '@medplum/fhirtypes';
import { parseLiteralReference } from './literal-reference.js';

/** One entry of the Bundle that holds a resource. */
export interface IndexedEntry<T extends Resource = Resource> {
  /** The resource. */
  resource: T;
  /** Its position in `Bundle.entry`. */
  index: number;
  /** Its fullUrl, when given. */
  fullUrl?: string;
  /** How a reference names it: the fullUrl, else `Type/id`, else `Type/#<n>` (n-th resource). */
  ref: string;
  /** FHIRPath-like location of the resource: `Bundle.entry[<index>].resource`. */
  location: string;
}

/** Entries of a Bundle, by type and by every name a reference may use for them. */
export class BundleIndex {
  /** The entries holding a resource (with a `resourceType`), in Bundle order. */
  readonly entries: IndexedEntry[] = [];
  private readonly byFullUrl = new Map<string, IndexedEntry>();
  private readonly byTypeId = new Map<string, IndexedEntry>();
  private readonly byRequestUrl = new Map<string, IndexedEntry>();

  /**
   * Indexes the entries that carry a resource.
   * @param bundle - any Bundle (transaction, batch, collection, searchset)
   */
  constructor(bundle: Bundle) {
    (bundle.entry ?? []).forEach((entry, index) => {
      const resource = entry.resource;
      if (!resource?.resourceType) {
        return;
      }
      const type = resource.resourceType;
      const typeId = resource.id ? `${type}/${resource.id}` : undefined;
      const indexed: IndexedEntry = {
        resource,
        index,
        ref: entry.fullUrl ?? typeId ?? `${type}/#${this.entries.length}`,
        location: `Bundle.entry[${index}].resource`,
      };
      if (entry.fullUrl) {
        indexed.fullUrl = entry.fullUrl;
        this.byFullUrl.set(entry.fullUrl, indexed);
        const named = parseLiteralReference(entry.fullUrl);
        if (named?.[0] === type) {
          this.byTypeId.set(`${type}/${named[1]}`, indexed);
        }
      }
      if (typeId) {
        this.byTypeId.set(typeId, indexed);
      }
      const requestUrl = entry.request?.url;
      if (requestUrl?.includes('?')) {
        this.byRequestUrl.set(requestUrl, indexed);
        this.byRequestUrl.set(safeDecode(requestUrl), indexed);
      }
      const ifNoneExist = entry.request?.ifNoneExist;
      if (ifNoneExist) {
        this.byRequestUrl.set(`${type}?${ifNoneExist}`, indexed);
        this.byRequestUrl.set(`${type}?${safeDecode(ifNoneExist)}`, indexed);
      }
      this.entries.push(indexed);
    });
  }

  /**
   * The entries holding resources of one type, in Bundle order.
   * @param type - the resource type
   */
  ofType<K extends ResourceType>(type: K): IndexedEntry<Extract<Resource, { resourceType: K }>>[] {
    return this.entries.filter((e) => e.resource.resourceType === type) as IndexedEntry<
      Extract<Resource, { resourceType: K }>
    >[];
  }

  /**
   * Resolves a reference to an entry of the Bundle.
   * @param reference - a Reference (its `reference`, else its `identifier` and `type`) or `Reference.reference`
   * @returns the entry, or undefined when the reference points outside the Bundle (or, by identifier, to
   *   more than one entry)
   */
  resolve(reference: Reference | string | undefined): IndexedEntry | undefined {
    const url = typeof reference === 'string' ? reference : reference?.reference;
    if (!url) {
      return typeof reference === 'object' && reference.identifier
        ? this.byLogicalReference(reference.identifier, reference.type)
        : undefined;
    }
    const direct = this.byFullUrl.get(url) ?? this.byTypeId.get(url);
    if (direct) {
      return direct;
    }
    const q = url.indexOf('?');
    if (q > 0) {
      return this.byRequestUrl.get(url) ?? this.byRequestUrl.get(safeDecode(url)) ?? this.byConditionalReference(url, q);
    }
    const named = parseLiteralReference(url);
    return named ? this.byTypeId.get(`${named[0]}/${named[1]}`) : undefined;
  }

  /** `Type?identifier=[system|]value` (the only search parameter): the first entry of the type carrying it. */
  private byConditionalReference(url: string, q: number): IndexedEntry | undefined {
    const type = url.slice(0, q);
    const params = new URLSearchParams(url.slice(q + 1));
    const wanted = params.get('identifier');
    if (!wanted || [...params.keys()].length !== 1) {
      return undefined;
    }
    const bar = wanted.indexOf('|');
    const system = bar >= 0 ? wanted.slice(0, bar) : undefined;
    const value = bar >= 0 ? wanted.slice(bar + 1) : wanted;
    return this.entries.find(
      (e) =>
        e.resource.resourceType === type &&
        identifiersOf(e.resource).some((i) => i.value === value && (system === undefined || i.system === system))
    );
  }

  /** The one entry (of the type, when given) carrying this business identifier; none when ambiguous. */
  private byLogicalReference(identifier: Identifier, type: string | undefined): IndexedEntry | undefined {
    if (!identifier.system || !identifier.value) {
      return undefined;
    }
    const found = this.entries.filter(
      (e) =>
        (type === undefined || e.resource.resourceType === type) &&
        identifiersOf(e.resource).some((i) => i.system === identifier.system && i.value === identifier.value)
    );
    return found.length === 1 ? found[0] : undefined;
  }
}

/** A resource's identifiers (R4 has both `identifier: Identifier[]` and, on a few types, a single one). */
function identifiersOf(resource: Resource): Identifier[] {
  const value = (resource as { identifier?: Identifier | Identifier[] }).identifier;
  if (!value) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
