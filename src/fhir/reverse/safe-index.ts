/**
 * The Bundle index of the way back: {@link BundleIndex} that resolves only well-shaped references. An EHR's
 * Bundle may carry anything where a Reference belongs (null, a string, a number, `reference: 7`); such a
 * reference resolves to nothing, so the reader reports it like any reference that points outside the Bundle.
 */
import type { Reference } from '@medplum/fhirtypes';
import { BundleIndex, type IndexedEntry } from '../../bundle-index.js';

/** True for a string, or an object whose `reference` is a string (or absent) and `identifier` an object (or absent). */
function wellShaped(reference: unknown): reference is Reference | string {
  if (typeof reference === 'string') {
    return true;
  }
  if (typeof reference !== 'object' || reference === null || Array.isArray(reference)) {
    return false;
  }
  const r = reference as { reference?: unknown; identifier?: unknown; type?: unknown };
  return (
    (r.reference === undefined || typeof r.reference === 'string') &&
    (r.identifier === undefined || (typeof r.identifier === 'object' && r.identifier !== null && !Array.isArray(r.identifier))) &&
    (r.type === undefined || typeof r.type === 'string')
  );
}

/** A Bundle index whose `resolve` never throws on an odd reference. */
export class SafeBundleIndex extends BundleIndex {
  override resolve(reference: Reference | string | undefined): IndexedEntry | undefined {
    return wellShaped(reference) ? super.resolve(reference) : undefined;
  }
}
