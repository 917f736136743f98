/**
 * Reporting what a reader did not use: unknown extensions, top-level elements the KAP model has no field
 * for, identifiers other than the clinic's (each as an `Ignored` item: location and reason, no value).
 */
import type { Extension, Identifier } from '@medplum/fhirtypes';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, ownIdentifier, type UnmapContext } from './context.js';

/**
 * Reports the extensions of an element whose URL is not in `known`.
 * @param ctx - the context
 * @param entry - the entry
 * @param extensions - the extensions
 * @param basePath - path of the element that holds them (empty for the resource)
 * @param known - the URLs read by the caller
 */
export function ignoreUnknownExtensions(
  ctx: UnmapContext,
  entry: IndexedEntry,
  extensions: Extension[] | undefined,
  basePath: string,
  known: readonly string[]
): void {
  (extensions ?? []).forEach((ext, i) => {
    if (!known.includes(ext.url)) {
      ignore(ctx, entry, `${basePath ? `${basePath}.` : ''}extension[${i}]`, 'unknown-extension');
    }
  });
}

/** Elements never reported: bookkeeping and narrative (which repeats the coded data). */
const ALWAYS_SKIPPED = new Set(['resourceType', 'id', 'meta', 'text', 'implicitRules', 'language']);

/**
 * Reports the top-level elements of a resource that the reader did not use.
 * @param ctx - the context
 * @param entry - the entry
 * @param read - the elements the reader used (extensions and identifiers are reported by the reader)
 */
export function ignoreUnreadElements(ctx: UnmapContext, entry: IndexedEntry, read: readonly string[]): void {
  for (const key of Object.keys(entry.resource)) {
    if (!ALWAYS_SKIPPED.has(key) && key !== 'extension' && key !== 'identifier' && !read.includes(key)) {
      ignore(ctx, entry, key, 'unsupported-element');
    }
  }
}

/**
 * Reports identifiers other than the clinic's one and those the caller keeps.
 * @param ctx - the context
 * @param entry - the entry
 * @param keep - true for an identifier the caller reads
 */
export function ignoreOtherIdentifiers(
  ctx: UnmapContext,
  entry: IndexedEntry,
  keep: (i: Identifier) => boolean = () => false
): void {
  const identifiers = (entry.resource as { identifier?: Identifier | Identifier[] }).identifier;
  if (!Array.isArray(identifiers)) {
    return;
  }
  const own = ownIdentifier(entry.resource, ctx);
  identifiers.forEach((i, n) => {
    if (i !== own && !keep(i)) {
      ignore(ctx, entry, `identifier[${n}]`, 'unsupported-element');
    }
  });
}
