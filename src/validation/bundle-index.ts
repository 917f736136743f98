/**
 * Resolves references inside a Bundle to its entries: by `fullUrl` (urn:uuid, absolute URLs),
 * by `Type/id`, and conditional references (`Type?identifier=system|value`) by the entry's
 * conditional `request.url` or by a matching identifier.
 */
import type { Bundle, BundleEntry, Identifier, Resource } from '@medplum/fhirtypes';

/** A resolved entry and its index in `Bundle.entry`. */
export interface ResolvedEntry {
  index: number;
  resource: Resource;
}

/** The entries of one Bundle, indexed for reference resolution. */
export class BundleIndex {
  private readonly byFullUrl = new Map<string, ResolvedEntry>();
  private readonly byTypeId = new Map<string, ResolvedEntry>();
  private readonly byRequestUrl = new Map<string, ResolvedEntry>();
  private readonly entries: ResolvedEntry[] = [];

  constructor(bundle: Bundle) {
    (bundle.entry ?? []).forEach((entry: BundleEntry, index) => {
      const resource = entry.resource;
      if (!resource) {
        return;
      }
      const resolved = { index, resource };
      this.entries.push(resolved);
      if (entry.fullUrl) {
        this.byFullUrl.set(entry.fullUrl, resolved);
      }
      if (resource.id) {
        this.byTypeId.set(`${resource.resourceType}/${resource.id}`, resolved);
      }
      const requestUrl = entry.request?.url;
      if (requestUrl?.includes('?')) {
        this.byRequestUrl.set(requestUrl, resolved);
        this.byRequestUrl.set(safeDecode(requestUrl), resolved);
      }
      const ifNoneExist = entry.request?.ifNoneExist;
      if (ifNoneExist) {
        this.byRequestUrl.set(`${resource.resourceType}?${ifNoneExist}`, resolved);
        this.byRequestUrl.set(`${resource.resourceType}?${safeDecode(ifNoneExist)}`, resolved);
      }
    });
  }

  /**
   * Resolves a reference to an entry of the Bundle.
   * @param reference - `Reference.reference`
   * @returns the entry, or undefined when it points outside the Bundle
   */
  resolve(reference: string): ResolvedEntry | undefined {
    const direct = this.byFullUrl.get(reference) ?? this.byTypeId.get(reference);
    if (direct) {
      return direct;
    }
    const q = reference.indexOf('?');
    if (q > 0) {
      return this.byRequestUrl.get(reference) ?? this.byRequestUrl.get(safeDecode(reference)) ?? this.byIdentifier(reference, q);
    }
    const m = /([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(\/_history\/.*)?$/.exec(reference);
    return m ? this.byTypeId.get(m[1]) : undefined;
  }

  private byIdentifier(reference: string, q: number): ResolvedEntry | undefined {
    const type = reference.slice(0, q);
    const params = new URLSearchParams(reference.slice(q + 1));
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
}

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
