/**
 * References between the entries of a transaction Bundle (`urn:uuid:` fullUrls, docs/conventions.md):
 * finding them in a resource, and the entries a set of entries needs with it.
 */
import type { BundleEntry, Reference, Resource } from '@medplum/fhirtypes';

/** Calls `fn` on every Reference-like object (`{ reference: string }`) inside a value. */
export function walkReferences(value: unknown, fn: (ref: Reference, parent: unknown, key: string | number) => void): void {
  const visit = (v: unknown, parent: unknown, key: string | number): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, v, i));
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.reference === 'string') {
        fn(o as Reference, parent, key);
      }
      for (const [k, x] of Object.entries(o)) {
        if (x && typeof x === 'object') {
          visit(x, o, k);
        }
      }
    }
  };
  visit(value, undefined, '');
}

/** The `urn:uuid:` references a resource makes. */
export function referencesOf(resource: Resource | undefined): string[] {
  const out: string[] = [];
  walkReferences(resource, (r) => {
    if (r.reference?.startsWith('urn:uuid:')) {
      out.push(r.reference);
    }
  });
  return out;
}

/**
 * The entries reachable from `roots` through references (the roots included), in Bundle order.
 * @param entries - all entries
 * @param roots - fullUrls to start from
 * @returns the entries
 */
export function reachableEntries(entries: BundleEntry[], roots: string[]): BundleEntry[] {
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e]));
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const url = stack.pop() as string;
    if (seen.has(url) || !byUrl.has(url)) {
      continue;
    }
    seen.add(url);
    stack.push(...referencesOf(byUrl.get(url)?.resource));
  }
  return entries.filter((e) => e.fullUrl && seen.has(e.fullUrl));
}
