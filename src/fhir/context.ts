/**
 * The mapping context of one episode: the clinic's identifier system and references to the Bundle's
 * entries by `urn:uuid` (docs/conventions.md). Every `to<Resource>` function takes it.
 */
import type { ExtractResource, Identifier, Organization, Patient, Reference, ResourceType } from '@medplum/fhirtypes';
import type { KapEpisode } from '../kap/episode.js';
import { clinicIdentifier, entryReference } from './identifiers.js';

/** What every mapper needs besides its own KAP entity. */
export interface MapContext {
  /** The episode being mapped. */
  readonly episode: KapEpisode;
  /** The clinic's business identifier for a value. */
  identifier(value: string): Identifier;
  /** A `urn:uuid` reference to the entry of this type with this identifier value. */
  ref<T extends ResourceType>(resourceType: T, value: string): Reference<ExtractResource<T>>;
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
  const ref = <T extends ResourceType>(resourceType: T, value: string): Reference<ExtractResource<T>> =>
    entryReference(resourceType, clinicId, value) as Reference<ExtractResource<T>>;
  return {
    episode,
    identifier: (value) => clinicIdentifier(clinicId, value),
    ref,
    patient: ref('Patient', episode.patient.id),
    organization: ref('Organization', clinicId),
  };
}
