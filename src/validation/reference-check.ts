/**
 * Reference targets Medplum 5 does not check: inside a Bundle a reference is resolved to its
 * entry and the target's type and declared profile are checked against the element's
 * `targetProfile` (an unresolvable `urn:` reference is an error); outside a Bundle the type of a
 * literal reference is checked against custom (non-HL7) target profiles, which Medplum skips.
 */
import type { OperationOutcomeIssue, Reference, Resource } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import type { BundleIndex } from '../bundle-index.js';
import { parseLiteralReference } from '../literal-reference.js';
import { canonicalUrl, type ConformanceStore } from './conformance-store.js';
import type { ElementVisit } from './element-walker.js';

const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';

/**
 * Checks one Reference value.
 * @param visit - the value (of type Reference) and its element
 * @param store - conformance resources (target profile definitions)
 * @param bundle - the enclosing Bundle's index, when validating a Bundle entry
 * @param issues - where issues are added
 */
export function checkReference(
  visit: ElementVisit,
  store: ConformanceStore,
  bundle: BundleIndex | undefined,
  issues: OperationOutcomeIssue[]
): void {
  if (visit.type !== 'Reference') {
    return;
  }
  const ref = (visit.value as Reference).reference;
  if (typeof ref !== 'string' || ref.length === 0 || ref.startsWith('#')) {
    return;
  }
  const targetProfiles = visit.element.type.find((t) => t.code === 'Reference')?.targetProfile ?? [];
  const target = bundle?.resolve(ref);
  if (bundle && !target && ref.startsWith('urn:')) {
    issues.push(issue('error', 'not-found', 'Reference does not resolve to an entry of the Bundle', visit.path));
    return;
  }
  if (targetProfiles.length === 0 || targetProfiles.some((p) => canonicalUrl(p) === `${HL7_SD}Resource`)) {
    return;
  }
  if (target) {
    checkTarget(visit, target.resource, targetProfiles, store, issues);
    return;
  }
  const type = literalType(ref);
  if (type && !targetProfiles.some((p) => targetType(p, store) === type || targetType(p, store) === undefined)) {
    issues.push(issue('error', 'invalid', 'Reference target is not of an allowed type', visit.path));
  }
}

function checkTarget(
  visit: ElementVisit,
  target: Resource,
  targetProfiles: readonly string[],
  store: ConformanceStore,
  issues: OperationOutcomeIssue[]
): void {
  let typeMatches = false;
  for (const p of targetProfiles) {
    const type = targetType(p, store);
    if (type === undefined) {
      return; // a target profile we do not know: cannot judge
    }
    if (type !== target.resourceType) {
      continue;
    }
    typeMatches = true;
    const url = canonicalUrl(p);
    if (url === `${HL7_SD}${type}` || conformsTo(target, url, store)) {
      return;
    }
  }
  issues.push(
    typeMatches
      ? issue('error', 'invalid', 'Reference target does not declare a required target profile', visit.path)
      : issue('error', 'invalid', 'Reference target is not of an allowed type', visit.path)
  );
}

const targetTypes = new WeakMap<ConformanceStore, Map<string, string | null>>();

/** The resource type a target profile constrains, or undefined when the profile is unknown (cached per store). */
function targetType(profile: string, store: ConformanceStore): string | undefined {
  let cache = targetTypes.get(store);
  if (!cache) {
    cache = new Map();
    targetTypes.set(store, cache);
  }
  let hit = cache.get(profile);
  if (hit === undefined) {
    hit = resolveTargetType(profile, store) ?? null;
    cache.set(profile, hit);
  }
  return hit ?? undefined;
}

function resolveTargetType(profile: string, store: ConformanceStore): string | undefined {
  const url = canonicalUrl(profile);
  if (url.startsWith(HL7_SD) && /^[A-Z][A-Za-z]+$/.test(url.slice(HL7_SD.length))) {
    const sd = store.getStructureDefinition(url);
    return sd?.type ?? url.slice(HL7_SD.length);
  }
  return store.getStructureDefinition(url)?.type;
}

/**
 * Does the resource declare `profile`, or a profile derived from it, in `meta.profile`?
 * @param resource - the target resource
 * @param profile - the required profile's canonical URL
 * @param store - conformance resources (for `baseDefinition` chains)
 * @returns true when it does
 */
export function conformsTo(resource: Resource, profile: string, store: ConformanceStore): boolean {
  for (const declared of resource.meta?.profile ?? []) {
    let url: string | undefined = canonicalUrl(declared);
    for (let depth = 0; url && depth < 16; depth++) {
      if (url === profile) {
        return true;
      }
      const base: string | undefined = store.getStructureDefinition(url)?.baseDefinition;
      url = base ? canonicalUrl(base) : undefined;
    }
  }
  return false;
}

function literalType(ref: string): string | undefined {
  const q = ref.indexOf('?');
  if (q > 0) {
    return ref.slice(0, q);
  }
  return parseLiteralReference(ref)?.[0];
}
