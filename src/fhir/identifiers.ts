/**
 * Business identifiers and deterministic `urn:uuid` full URLs (docs/conventions.md "Identifiers and the
 * transaction Bundle"). The uuid is a UUID v5 (RFC 9562 §5.5: SHA-1 of namespace + name) of
 * `resourceType|system|value`, so mapping the same episode twice gives the same full URLs.
 */
import { createHash } from 'node:crypto';
import type { Identifier, Reference, Resource, ResourceType } from '@medplum/fhirtypes';
import { clinicIdentifierSystem } from '../terminology/systems.js';

/** The kap-fhir UUID v5 namespace (RFC 9562 URL namespace, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`). */
const NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * A UUID v5 of a name in the kap-fhir namespace.
 * @param name - the name
 */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The `urn:uuid:` full URL of the resource of this type carrying this identifier.
 * @param resourceType - e.g. `Patient`
 * @param system - identifier system
 * @param value - identifier value
 */
export function fullUrlFor(resourceType: ResourceType, system: string, value: string): string {
  return `urn:uuid:${uuidV5(`${resourceType}|${system}|${value}`)}`;
}

/**
 * The business identifier of a KAP entity at a clinic.
 * @param clinicId - the clinic's id
 * @param value - the entity's id (with a suffix when one entity yields several resources of one type)
 */
export function clinicIdentifier(clinicId: string, value: string): Identifier {
  return { system: clinicIdentifierSystem(clinicId), value };
}

/**
 * The value of a resource's business identifier at a clinic (R4 `identifier` is a list on most types, a
 * single Identifier on a few).
 * @param resource - the resource
 * @param clinicId - the clinic's id
 * @returns the value, or undefined when the resource carries no identifier of that clinic
 */
export function clinicIdentifierValue(resource: Resource | undefined, clinicId: string): string | undefined {
  const raw = (resource as { identifier?: Identifier | Identifier[] } | undefined)?.identifier;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.find((i) => i.system === clinicIdentifierSystem(clinicId))?.value;
}

/**
 * A reference, by `urn:uuid` full URL, to the Bundle entry of this type with this clinic identifier.
 * @param resourceType - the target's type
 * @param clinicId - the clinic's id
 * @param value - the target's identifier value
 */
export function entryReference(resourceType: ResourceType, clinicId: string, value: string): Reference {
  return { reference: fullUrlFor(resourceType, clinicIdentifierSystem(clinicId), value) };
}

