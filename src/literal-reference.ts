/**
 * The resource type and id a literal reference names (FHIR R4 references.html#literal): relative
 * (`Patient/1`), versioned (`Patient/1/_history/2`) or absolute (`https://ehr.example/fhir/Patient/1`),
 * and likewise a server's `Location` answer. Medplum's `parseReference` / `tryParseReference` read the
 * relative form only (the first two path segments: an absolute URL gives `['https:', '']`), so the
 * `Type/id` at the end of the URL is matched here, once.
 */
import type { ResourceType } from '@medplum/fhirtypes';
import { FHIR_ID_PATTERN } from './fhir-id.js';

const LITERAL_REFERENCE = new RegExp(`(?:^|/)([A-Z][A-Za-z]+)/(${FHIR_ID_PATTERN})(?:/_history/[^/]*)?/?$`);

/**
 * Reads `[resourceType, id]` from a literal reference or a Location (its query string ignored).
 * @param url - `Reference.reference`, a fullUrl or a Location header
 * @returns the type and id, as Medplum's `tryParseReference` gives them, or undefined when the URL has no
 *   `Type/id` at its end (`urn:uuid:…`, `#contained`, a conditional reference)
 */
export function parseLiteralReference(url: string): [ResourceType, string] | undefined {
  const m = LITERAL_REFERENCE.exec(url.split('?')[0]);
  return m ? [m[1] as ResourceType, m[2]] : undefined;
}
