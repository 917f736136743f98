/**
 * Test helpers: an example episode (examples/*.json), possibly edited, mapped through the real `mapEpisode`; the
 * fullUrl of one session's MedicationAdministration.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { parseIdentifierValue } from '../../identity/record-identity.js';
import { mapped, type EpisodeJson } from '../../safety/__test__/episode-fixture.js';

/** The JSON of examples/<name>.json. */
export function exampleJson(name: string): EpisodeJson {
  return JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));
}

/** examples/<name>.json (edited by `edit`) mapped to its transaction Bundle. */
export function exampleBundle(name: string, edit?: (episode: EpisodeJson) => void): Bundle {
  const json = exampleJson(name);
  edit?.(json);
  return mapped(json);
}

/** The fullUrl of the MedicationAdministration of a session (by the session's id). */
export function doseFullUrl(bundle: Bundle, sessionId: string): string {
  const entry = bundle.entry?.find(
    (e) =>
      e.resource?.resourceType === 'MedicationAdministration' &&
      parseIdentifierValue(e.resource.identifier?.[0]?.value ?? '').localId === sessionId
  );
  if (!entry?.fullUrl) {
    throw new Error(`no dose for session ${sessionId}`);
  }
  return entry.fullUrl;
}
