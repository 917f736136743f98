/**
 * The mapping context of one episode: the clinic's identifier system and references to the Bundle's
 * entries by `urn:uuid` (docs/conventions.md). Every `to<Resource>` function takes it.
 */
import type { ExtractResource, Identifier, Organization, Patient, Reference, ResourceType } from '@medplum/fhirtypes';
import { identifierValue } from '../identity/record-identity.js';
import type { KapEpisode } from '../kap/episode.js';
import { clinicIdentifier, entryReference } from './identifiers.js';

/** What every mapper needs besides its own KAP entity. */
export interface MapContext {
  /** The episode being mapped. */
  readonly episode: KapEpisode;
  /**
   * The business identifier of a record written as this type: the clinic's system, the value scoped by
   * the episode where the type belongs to one (src/identity/record-identity.ts).
   */
  identifier(resourceType: ResourceType, localId: string): Identifier;
  /** A `urn:uuid` reference to the entry of this type for this record (same scoping as `identifier`). */
  ref<T extends ResourceType>(resourceType: T, localId: string): Reference<ExtractResource<T>>;
  /** Reference to the Patient entry. */
  readonly patient: Reference<Patient>;
  /** Reference to the clinic's Organization entry. */
  readonly organization: Reference<Organization>;
}

/**
 * The context of one episode.
 * @param episode - a parsed, valid episode
 */
export function mapContext(episode: KapEpisode): MapContext {
  const clinicId = episode.clinic.id;
  const value = (resourceType: ResourceType, localId: string): string => identifierValue(resourceType, episode.id, localId);
  const ref = <T extends ResourceType>(resourceType: T, localId: string): Reference<ExtractResource<T>> =>
    entryReference(resourceType, clinicId, value(resourceType, localId)) as Reference<ExtractResource<T>>;
  return {
    episode,
    identifier: (resourceType, localId) => clinicIdentifier(clinicId, value(resourceType, localId)),
    ref,
    patient: ref('Patient', episode.patient.id),
    organization: ref('Organization', clinicId),
  };
}
