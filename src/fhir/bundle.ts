/**
 * The transaction Bundle builder (docs/conventions.md "Identifiers and the transaction Bundle";
 * FHIR R4 http.html#transaction): one entry per resource, `fullUrl = urn:uuid:<uuid v5 of
 * type|system|value>`, `request = PUT <Type>?identifier=<system|value>` (conditional update), entries
 * sorted by dependency rank then identifier value, no `id`, no `meta.lastUpdated`: the same resources
 * always give the same JSON.
 */
import type { Bundle, BundleEntry, Coding, Identifier, Resource, ResourceType } from '@medplum/fhirtypes';
import { fullUrlFor } from './identifiers.js';

/** Entry order: referenced resources first (docs/conventions.md). */
export const ENTRY_RANK: readonly ResourceType[] = [
  'Organization',
  'Practitioner',
  'Patient',
  'CareTeam',
  'Condition',
  'EpisodeOfCare',
  'MedicationRequest',
  'Encounter',
  'MedicationAdministration',
  'MedicationStatement',
  'Procedure',
  'QuestionnaireResponse',
  'Observation',
  'AdverseEvent',
  'DetectedIssue',
  'Communication',
  'Composition',
  'DocumentReference',
  'Provenance',
];

/** How an entry is found on the server: its identifier, or (Provenance, which has none in R4) its tag. */
export interface EntryKey {
  /** `identifier` or `_tag`. */
  param: 'identifier' | '_tag';
  system: string;
  value: string;
}

/** The first identifier of a resource (array or single, R4), when it has a system and a value. */
export function firstIdentifier(resource: Resource): Identifier | undefined {
  const raw = (resource as { identifier?: Identifier | Identifier[] }).identifier;
  const id = Array.isArray(raw) ? raw[0] : raw;
  return id?.system && id.value ? id : undefined;
}

/** The first `meta.tag` of a resource, when it has a system and a code (the key of a Provenance). */
export function firstTag(resource: Resource): Coding | undefined {
  const tag = resource.meta?.tag?.[0];
  return tag?.system && tag.code ? tag : undefined;
}

/**
 * The key of a resource: its first identifier (array or single, R4), else its first `meta.tag`.
 * @param resource - a mapped resource
 * @throws Error when the resource has neither (a mapping bug; the message names the type only)
 */
export function entryKey(resource: Resource): EntryKey {
  const id = firstIdentifier(resource);
  if (id) {
    return { param: 'identifier', system: id.system as string, value: id.value as string };
  }
  const tag = firstTag(resource);
  if (tag) {
    return { param: '_tag', system: tag.system as string, value: tag.code as string };
  }
  throw new Error(`${resource.resourceType} has no business identifier`);
}

/**
 * The conditional update URL that finds a resource by its key: `Type?identifier=system|value` or
 * `Type?_tag=system|value` (URL-encoded).
 * @param resourceType - the resource's type
 * @param key - its key
 */
export function conditionalUrl(resourceType: string, key: EntryKey): string {
  return `${resourceType}?${key.param}=${encodeURIComponent(`${key.system}|${key.value}`)}`;
}

/**
 * The `urn:uuid` full URL of a mapped resource.
 * @param resource - a mapped resource
 */
export function fullUrlOf(resource: Resource): string {
  const key = entryKey(resource);
  return fullUrlFor(resource.resourceType, key.system, key.value);
}

/**
 * One transaction entry: full URL, resource and conditional update request.
 * @param resource - a mapped resource
 */
export function transactionEntry(resource: Resource): BundleEntry {
  const key = entryKey(resource);
  return {
    fullUrl: fullUrlFor(resource.resourceType, key.system, key.value),
    resource,
    request: { method: 'PUT', url: conditionalUrl(resource.resourceType, key) },
  };
}

function rank(type: ResourceType): number {
  const i = ENTRY_RANK.indexOf(type);
  return i === -1 ? ENTRY_RANK.length : i;
}

/**
 * Orders resources by entry rank, then identifier value (code-unit order, locale-independent).
 * @param resources - mapped resources
 */
export function sortResources<T extends Resource>(resources: readonly T[]): T[] {
  const keyed = resources.map((r) => ({ r, rank: rank(r.resourceType), value: entryKey(r).value }));
  keyed.sort((a, b) => a.rank - b.rank || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return keyed.map((k) => k.r);
}

/**
 * Builds the transaction Bundle.
 * @param identifier - the Bundle's identifier
 * @param resources - the resources (any order; sorted here)
 * @throws Error when two resources share a type and key (a duplicate entry)
 */
export function buildTransactionBundle(identifier: Identifier, resources: readonly Resource[]): Bundle {
  const entries = sortResources(resources).map(transactionEntry);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.fullUrl as string)) {
      throw new Error(`Duplicate ${e.resource?.resourceType ?? 'resource'} entry`);
    }
    seen.add(e.fullUrl as string);
  }
  return { resourceType: 'Bundle', identifier, type: 'transaction', entry: entries };
}
