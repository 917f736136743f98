/**
 * What the way back (FHIR → KAP) could not recover: one entry per element or resource left out, named by
 * resource type, a FHIRPath-like location and a reason code. Never a value (no PHI).
 */

/** Why something was left out of the KAP episode. */
export type IgnoredReason =
  /** A resource type the KAP model has no place for (e.g. AllergyIntolerance). */
  | 'unsupported-resource'
  /** An element of a known resource that the KAP model has no field for (e.g. Patient.address). */
  | 'unsupported-element'
  /** An extension whose URL the KAP model does not know. */
  | 'unknown-extension'
  /** A code (or a coding system) outside the KAP value sets (e.g. an unknown Observation code). */
  | 'unknown-code'
  /** A reference that points to no entry of the Bundle. */
  | 'unresolved-reference'
  /** A required part of the KAP entity is missing, so the entity is dropped. */
  | 'missing-element'
  /** A value the KAP model cannot hold (wrong unit, wrong type, out of range). */
  | 'invalid-value'
  /** A second resource for an entity already recovered (same KAP id). */
  | 'duplicate'
  /** A resource not tied to this episode's patient or episode. */
  | 'unrelated'
  /** A field the KAP model requires was absent and got its documented default (docs/mapping.md). */
  | 'defaulted';

/** One thing the way back left out. */
export interface Ignored {
  /** The resource type where it was found (`Bundle` for the Bundle itself). */
  resourceType: string;
  /** FHIRPath-like location, e.g. `Bundle.entry[4].resource.extension[1]`. */
  location: string;
  /** Why it was left out. */
  reason: IgnoredReason;
}

/** Collects ignored items while the Bundle is walked (one per unmap call). */
export class IgnoredList {
  readonly items: Ignored[] = [];

  /**
   * Records one ignored item.
   * @param resourceType - the resource type
   * @param location - the FHIRPath-like location
   * @param reason - the reason code
   */
  add(resourceType: string, location: string, reason: IgnoredReason): void {
    this.items.push({ resourceType, location, reason });
  }
}
