/**
 * Canonical URLs of conformance resources, as the HL7 validator judges them (R4 resource.html#canonical,
 * references.html#canonical): a canonical resource's `url` and the code systems a ValueSet includes or excludes are
 * absolute URIs (error "… must be absolute"; a `#id` system names a contained CodeSystem, judged by its url); a `urn:uuid:` is a valid lowercase UUID (error "UUIDs must be valid and
 * lowercase"). Contained canonical resources are judged too.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';

/** The R4 resource types whose `url` is their canonical identity. */
const CANONICAL_TYPES = new Set([
  'ActivityDefinition', 'CapabilityStatement', 'ChargeItemDefinition', 'CodeSystem', 'CompartmentDefinition',
  'ConceptMap', 'EffectEvidenceSynthesis', 'EventDefinition', 'Evidence', 'EvidenceVariable', 'ExampleScenario',
  'GraphDefinition', 'ImplementationGuide', 'Library', 'Measure', 'MessageDefinition', 'NamingSystem',
  'OperationDefinition', 'PlanDefinition', 'Questionnaire', 'ResearchDefinition', 'ResearchElementDefinition',
  'RiskEvidenceSynthesis', 'SearchParameter', 'StructureDefinition', 'StructureMap', 'TerminologyCapabilities',
  'TestScript', 'ValueSet',
]);

/** An absolute URI (a scheme, then anything): `http://…`, `urn:oid:…`, `urn:uuid:…`. */
export const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;

function checkUri(value: unknown, what: string, at: string, issues: OperationOutcomeIssue[]): void {
  if (typeof value !== 'string') {
    return;
  }
  if (!ABSOLUTE_URI.test(value)) {
    issues.push(issue('error', 'invalid', `${what} must be an absolute URI`, at));
  } else if (/^urn:uuid:/i.test(value) && !UUID.test(value)) {
    issues.push(issue('error', 'invalid', `${what}: UUIDs must be valid and lowercase`, at));
  }
}

function containedById(resource: Json, id: string): Json | undefined {
  const contained = Array.isArray(resource.contained) ? (resource.contained as Json[]) : [];
  return contained.find((c) => c && typeof c === 'object' && c.resourceType === 'CodeSystem' && c.id === id);
}

/**
 * Checks a resource and its contained resources.
 * @param resource - the resource (JSON)
 * @param path - its FHIRPath
 * @param issues - where issues go
 */
export function checkCanonicals(resource: Json, path: string, issues: OperationOutcomeIssue[]): void {
  const type = resource.resourceType;
  if (typeof type === 'string' && CANONICAL_TYPES.has(type)) {
    checkUri(resource.url, `${type}.url`, `${path}.url`, issues);
  }
  if (type === 'ValueSet' && resource.compose && typeof resource.compose === 'object') {
    const compose = resource.compose as Json;
    for (const part of ['include', 'exclude'] as const) {
      const list = Array.isArray(compose[part]) ? (compose[part] as unknown[]) : [];
      list.forEach((c, i) => {
        if (c && typeof c === 'object') {
          const system = (c as Json).system;
          // `#id` names a contained CodeSystem: judged by that CodeSystem's own (absolute) url
          const local = typeof system === 'string' && system.startsWith('#') ? containedById(resource, system.slice(1)) : undefined;
          checkUri(local ? local.url : system, `ValueSet.compose.${part}.system`, `${path}.compose.${part}[${i}].system`, issues);
        }
      });
    }
  }
  const contained = Array.isArray(resource.contained) ? (resource.contained as unknown[]) : [];
  contained.forEach((c, i) => {
    if (c && typeof c === 'object') {
      checkCanonicals(c as Json, `${path}.contained[${i}]`, issues);
    }
  });
}
