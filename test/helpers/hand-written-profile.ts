/**
 * A profile with a hand-written snapshot (what Medplum's parseStructureDefinition reads), for validator tests that
 * need one element or slice constrained and nothing else.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/**
 * @param id - the profile id (its URL is under http://example.org/fhir/StructureDefinition/)
 * @param type - the resource type it constrains
 * @param elements - the snapshot elements after the root
 * @returns the StructureDefinition
 */
export function handWrittenProfile(id: string, type: string, elements: ElementDefinition[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    id,
    url: `http://example.org/fhir/StructureDefinition/${id}`,
    name: id,
    status: 'active',
    kind: 'resource',
    abstract: false,
    type,
    derivation: 'constraint',
    baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
    snapshot: { element: [{ id: type, path: type, min: 0, max: '*' }, ...elements] },
  };
}
