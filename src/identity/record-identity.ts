/**
 * Record identity: the one place that decides how a KAP record is named everywhere it travels —
 * its FHIR business identifier, its `urn:uuid` full URL, its delivery record id (job ids, Redis keys
 * of the sync engine) and its payload name. docs/mapping.md "Record identity" is this module as a table.
 *
 * A clinic's KAP ids are unique only where the KAP model makes them unique: patient, practitioner and
 * episode ids within the clinic; session, vital, questionnaire, prescription, indication and side-effect
 * ids only within their episode. So a record that belongs to an episode is named by (clinic, episode,
 * local id) and a shared record by (clinic, id):
 * - the identifier system is always the clinic's (`https://kap-fhir.org/fhir/clinic/<clinic>`);
 * - an episode-scoped value is `<episodeId>/<localId>` (`/` is in no FHIR or KAP id, so the two parts
 *   always read back apart), a clinic-scoped value is the KAP id itself;
 * - delivery record ids join episode and record with `~` (in no FHIR id, allowed in BullMQ job ids and
 *   Redis keys, unreserved in URLs).
 */
import type { ResourceType } from '@medplum/fhirtypes';
import { FHIR_ID_CHARACTER, FHIR_ID_PATTERN } from '../fhir-id.js';

/** How far a record's KAP id is unique. */
export type IdentityScope = 'clinic' | 'episode';

/** Separates the episode id from the local id in an episode-scoped identifier value. */
export const EPISODE_SCOPE_SEPARATOR = '/';
/** Separates the episode id from the record in a delivery record id. */
export const RECORD_SEPARATOR = '~';

/**
 * The scope of each resource type kap-fhir writes. Patient, Practitioner and Organization are shared by a
 * clinic's episodes; EpisodeOfCare, CareTeam and the episode Bundle are named by the episode id itself
 * (unique in the clinic);
 * everything else belongs to one episode. A type not listed is episode-scoped.
 */
export const RESOURCE_SCOPE: Readonly<Partial<Record<ResourceType, IdentityScope>>> = {
  Patient: 'clinic',
  Practitioner: 'clinic',
  Organization: 'clinic',
  EpisodeOfCare: 'clinic',
  CareTeam: 'clinic',
  // the episode Bundle's identifier `episode-<id>-v<version>` names the episode itself
  Bundle: 'clinic',
};

/**
 * The scope of a resource type's business identifier.
 * @param resourceType - the type
 */
export function scopeOf(resourceType: ResourceType): IdentityScope {
  return RESOURCE_SCOPE[resourceType] ?? 'episode';
}

/**
 * The business identifier value of a record.
 * @param resourceType - the resource type it is written as
 * @param episodeId - the episode it belongs to
 * @param localId - the clinic's id of the record (unique in its scope)
 * @returns `<episodeId>/<localId>` for episode-scoped types, else `localId`
 */
export function identifierValue(resourceType: ResourceType, episodeId: string, localId: string): string {
  return scopeOf(resourceType) === 'episode' ? episodeScopedValue(episodeId, localId) : localId;
}

/**
 * An episode-scoped identifier value.
 * @param episodeId - the episode id
 * @param localId - the record's id within the episode
 */
export function episodeScopedValue(episodeId: string, localId: string): string {
  return `${episodeId}${EPISODE_SCOPE_SEPARATOR}${localId}`;
}

/**
 * Reads an identifier value back into its parts.
 * @param value - an identifier value made by {@link identifierValue}
 * @returns the episode id (episode-scoped values only) and the local id
 */
export function parseIdentifierValue(value: string): { episodeId?: string; localId: string } {
  const at = value.indexOf(EPISODE_SCOPE_SEPARATOR);
  return at < 0 ? { localId: value } : { episodeId: value.slice(0, at), localId: value.slice(at + 1) };
}

/** The kinds of record the sync engine delivers. */
export type DeliveryRecordType = 'episode' | 'dosing' | 'signal';

/**
 * The delivery record id of an episode's whole Bundle (ehr-sync): the episode id.
 * @param episodeId - the episode id
 */
export function episodeRecordId(episodeId: string): string {
  return episodeId;
}

/**
 * The delivery record id of one dosing session's prescriber Bundle: `<episodeId>~<sessionId>`.
 * @param episodeId - the episode id
 * @param sessionId - the dosing session's id in the episode
 */
export function dosingRecordId(episodeId: string, sessionId: string): string {
  return `${episodeId}${RECORD_SEPARATOR}${sessionId}`;
}

/**
 * The delivery record id of one safety signal: `<episodeId>~<signal's local id>`.
 * @param episodeId - the episode id
 * @param signalLocalId - the signal's id within the episode (`signal-<rule>-<trigger's local id>`)
 */
export function signalRecordId(episodeId: string, signalLocalId: string): string {
  return `${episodeId}${RECORD_SEPARATOR}${signalLocalId}`;
}

/**
 * The local id of a safety signal within its episode.
 * @param rule - the signal's rule
 * @param triggerLocalId - the local id of the record that triggered it
 */
export function signalLocalId(rule: string, triggerLocalId: string): string {
  return `signal-${rule}-${triggerLocalId}`;
}

/**
 * The name under which a delivery payload is kept (the store adds the clinic): unique per
 * (clinic, record type, record, version).
 * @param recordType - the record type
 * @param recordId - the delivery record id
 * @param version - the episode version
 */
export function payloadName(recordType: DeliveryRecordType, recordId: string, version: number): string {
  return `${recordType}-${recordId}-v${version}`;
}

/** A delivery record id: FHIR-id characters and at most one `~` (episode ~ record). */
export const DELIVERY_RECORD_ID = new RegExp(`^${FHIR_ID_PATTERN}(?:~${FHIR_ID_CHARACTER}{1,128})?$`);
