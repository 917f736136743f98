/**
 * The loaded-package object: every conformance resource the validator knows (the KAP package,
 * extra packages, the R4 base), indexed by canonical URL, with each profile parsed once by
 * Medplum's `parseStructureDefinition` and registered in @medplum/core's type map under a private
 * key, so that `validateTypedValue` reuses the parsed profile instead of re-parsing it on every
 * call (Medplum's `validateResource(r, { profile })` re-parses, ~3–5 ms a call).
 */
import { getAllDataTypes, parseStructureDefinition, tryGetDataType, type InternalTypeSchema } from '@medplum/core';
import type { CodeSystem, Questionnaire, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { getBaseConformance } from './base-conformance.js';
import { leanSchema } from './lean-schema.js';
import { completeSnapshot } from './snapshot-fixes.js';

/** A profile parsed once: its definition, its parsed schema, and the type key Medplum knows it by. */
export interface LoadedProfile {
  url: string;
  sd: StructureDefinition;
  schema: InternalTypeSchema;
  /** Key in @medplum/core's data-type map: `validateTypedValue({ type: key, value })` uses this profile. */
  key: string;
  /** True for the R4 base definition of a resource or data type (no profile constraints). */
  isBase: boolean;
}

const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';
let storeSeq = 0;

/** Removes a `|version` suffix from a canonical reference. */
export function canonicalUrl(ref: string): string {
  const bar = ref.indexOf('|');
  return bar < 0 ? ref : ref.slice(0, bar);
}

/**
 * Conformance resources by canonical URL: package resources first, then the R4 base.
 * Construct once per process (see `getDefaultValidator`) and share it.
 */
export class ConformanceStore {
  private readonly structureDefinitions = new Map<string, StructureDefinition>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly questionnaires = new Map<string, Questionnaire>();
  private readonly profiles = new Map<string, LoadedProfile | null>();
  private readonly seq = ++storeSeq;

  /**
   * Adds conformance resources (later ones replace earlier ones with the same URL).
   * @param resources - StructureDefinitions, ValueSets, CodeSystems, Questionnaires (others are ignored)
   */
  addAll(resources: readonly Resource[]): void {
    for (const r of resources) {
      this.add(r);
    }
  }

  /**
   * Adds one conformance resource.
   * @param resource - the resource (ignored unless a conformance type with a `url`)
   */
  add(resource: Resource): void {
    if (!('url' in resource) || typeof resource.url !== 'string') {
      return;
    }
    const url = canonicalUrl(resource.url);
    switch (resource.resourceType) {
      case 'StructureDefinition':
        this.structureDefinitions.set(url, resource);
        this.profiles.delete(url);
        break;
      case 'ValueSet':
        this.valueSets.set(url, resource);
        break;
      case 'CodeSystem':
        this.codeSystems.set(url, resource);
        break;
      case 'Questionnaire':
        this.questionnaires.set(url, resource);
        break;
      default:
        break;
    }
  }

  /** The StructureDefinition with this canonical URL (package first, then R4 base), if any. */
  getStructureDefinition(ref: string): StructureDefinition | undefined {
    const url = canonicalUrl(ref);
    return this.structureDefinitions.get(url) ?? getBaseConformance().structureDefinitions.get(url);
  }

  /** The ValueSet with this canonical URL (package first, then R4 base), if any. */
  getValueSet(ref: string): ValueSet | undefined {
    const url = canonicalUrl(ref);
    return this.valueSets.get(url) ?? getBaseConformance().valueSets.get(url);
  }

  /** The CodeSystem with this canonical URL (package first, then R4 base), if any. */
  getCodeSystem(ref: string): CodeSystem | undefined {
    const url = canonicalUrl(ref);
    return this.codeSystems.get(url) ?? getBaseConformance().codeSystems.get(url);
  }

  /** The Questionnaire with this canonical URL, if loaded. */
  getQuestionnaire(ref: string): Questionnaire | undefined {
    return this.questionnaires.get(canonicalUrl(ref));
  }

  /** The URLs of the package's own StructureDefinitions (not the base). */
  packageProfileUrls(): string[] {
    return [...this.structureDefinitions.keys()];
  }

  /**
   * The parsed profile for a canonical URL, parsed on first use and cached. Base R4 type URLs
   * (`http://hl7.org/fhir/StructureDefinition/Patient`) give Medplum's own base schema.
   * @param ref - the profile's canonical URL (a `|version` suffix is ignored)
   * @returns the loaded profile, or undefined when unknown or without a snapshot
   */
  getProfile(ref: string): LoadedProfile | undefined {
    const url = canonicalUrl(ref);
    const cached = this.profiles.get(url);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    const loaded = this.loadProfile(url);
    this.profiles.set(url, loaded ?? null);
    return loaded;
  }

  private loadProfile(url: string): LoadedProfile | undefined {
    const own = this.structureDefinitions.get(url);
    if (!own && url.startsWith(HL7_SD)) {
      const typeName = url.slice(HL7_SD.length);
      const baseSchema = tryGetDataType(typeName);
      if (baseSchema && baseSchema.url === url) {
        const sd = { resourceType: 'StructureDefinition', url, type: typeName } as StructureDefinition;
        return { url, sd, schema: baseSchema, key: typeName, isBase: true };
      }
    }
    const sd = own ?? getBaseConformance().structureDefinitions.get(url);
    if (!sd?.snapshot?.element?.length) {
      return undefined;
    }
    const schema = leanSchema(parseStructureDefinition(completeSnapshot(sd)));
    const key = `kap-validator/${this.seq}/${url}`;
    const types = getAllDataTypes();
    types[key] = schema;
    return { url, sd, schema, key, isBase: false };
  }
}
