/**
 * The loaded-package object: every conformance resource the validator knows (the KAP package,
 * extra packages, the R4 base), indexed by canonical URL, with each profile parsed once by
 * Medplum's `parseStructureDefinition` and registered in @medplum/core's type map under a private
 * key, so that `validateTypedValue` reuses the parsed profile instead of re-parsing it on every
 * call (Medplum's `validateResource(r, { profile })` re-parses, ~3–5 ms a call).
 *
 * The same object serves the package read-only under /fhir (read by id, search by `url`), so the
 * KAP package is read and indexed once per process (see kap-package.ts). A store built on top of
 * another (`new ConformanceStore(parent)`) adds resources without re-reading the parent's: its own
 * resources replace the parent's with the same URL, and profiles it does not replace are parsed
 * (and cached) by the parent.
 */
import { getAllDataTypes, parseStructureDefinition, tryGetDataType, type InternalTypeSchema } from '@medplum/core';
import type { CodeSystem, Questionnaire, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { getBaseConformance, getCoreProfile } from './base-conformance.js';
import { leanSchema } from './lean-schema.js';
import { annotateProfile } from './profile-value-check.js';
import { fixTypeDiscriminators } from './slice-check.js';
import { completeSnapshot } from './snapshot-fixes.js';
import { errorText, snapshotFailure } from './snapshot-generator.js';

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

/** A conformance resource as indexed here: a canonical `url`, and an `id` to be read by. */
export type ConformanceResource = StructureDefinition | ValueSet | CodeSystem | Questionnaire;

/** The conformance resource types a store holds. */
export type ConformanceType = ConformanceResource['resourceType'];

const HL7_SD = 'http://hl7.org/fhir/StructureDefinition/';
let storeSeq = 0;

/** Removes a `|version` suffix from a canonical reference. */
export function canonicalUrl(ref: string): string {
  const bar = ref.indexOf('|');
  return bar < 0 ? ref : ref.slice(0, bar);
}

function isConformanceType(type: string): type is ConformanceType {
  return type === 'StructureDefinition' || type === 'ValueSet' || type === 'CodeSystem' || type === 'Questionnaire';
}

/**
 * Conformance resources by canonical URL: this store's own, then its parent's, then the R4 base.
 * The KAP package's store is built once per process (`kapConformance()`) and shared.
 */
export class ConformanceStore {
  private readonly byType: { [T in ConformanceType]: Map<string, Extract<ConformanceResource, { resourceType: T }>> } = {
    StructureDefinition: new Map(),
    ValueSet: new Map(),
    CodeSystem: new Map(),
    Questionnaire: new Map(),
  };
  private readonly parsed = new Map<string, LoadedProfile | null>();
  /** Why a known profile could not be used (no snapshot, parser refused it), by URL. */
  private readonly problems = new Map<string, string>();
  private readonly seq = ++storeSeq;
  private readonly parent: ConformanceStore | undefined;

  /**
   * @param parent - a store whose resources this one sees (and may replace by URL)
   */
  constructor(parent?: ConformanceStore) {
    this.parent = parent;
  }

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
    if (!('url' in resource) || typeof resource.url !== 'string' || !isConformanceType(resource.resourceType)) {
      return;
    }
    const url = canonicalUrl(resource.url);
    (this.byType[resource.resourceType] as Map<string, Resource>).set(url, resource);
    if (resource.resourceType === 'StructureDefinition') {
      this.parsed.delete(url);
      this.problems.delete(url);
    }
  }

  /** The StructureDefinition with this canonical URL (packages first, then R4 base), if any. */
  getStructureDefinition(ref: string): StructureDefinition | undefined {
    const url = canonicalUrl(ref);
    return (
      this.own('StructureDefinition', url) ??
      getBaseConformance().structureDefinitions.get(url) ??
      (url.startsWith(HL7_SD) ? getCoreProfile(url) : undefined)
    );
  }

  /** The ValueSet with this canonical URL (packages first, then R4 base), if any. */
  getValueSet(ref: string): ValueSet | undefined {
    const url = canonicalUrl(ref);
    return this.own('ValueSet', url) ?? getBaseConformance().valueSets.get(url);
  }

  /** The CodeSystem with this canonical URL (packages first, then R4 base), if any. */
  getCodeSystem(ref: string): CodeSystem | undefined {
    const url = canonicalUrl(ref);
    return this.own('CodeSystem', url) ?? getBaseConformance().codeSystems.get(url);
  }

  /** The Questionnaire with this canonical URL, if loaded. */
  getQuestionnaire(ref: string): Questionnaire | undefined {
    return this.own('Questionnaire', canonicalUrl(ref));
  }

  /** The URLs of the loaded packages' StructureDefinitions (not the base). */
  packageProfileUrls(): string[] {
    return [...this.loaded('StructureDefinition').keys()];
  }

  /**
   * A loaded package resource by type and id (the R4 base is not served).
   * @param type - a conformance resource type
   * @param id - the resource id
   */
  read(type: string, id: string): ConformanceResource | undefined {
    if (!isConformanceType(type)) {
      return undefined;
    }
    let found: ConformanceResource | undefined;
    for (const r of this.loaded(type).values()) {
      if (r.id === id) {
        found = r; // the last one wins, as when the package is indexed by id
      }
    }
    return found;
  }

  /**
   * Loaded package resources of a type matching a canonical `url` (`url|version` too) and
   * `version` when given; all of the type without url.
   * @param type - a conformance resource type
   * @param url - the canonical URL, optionally with `|version`
   * @param version - the business version
   */
  search(type: string, url?: string, version?: string): ConformanceResource[] {
    if (!isConformanceType(type)) {
      return [];
    }
    return [...this.loaded(type).values()].filter(
      (r) =>
        (url === undefined || r.url === url || (url.includes('|') && `${r.url}|${r.version}` === url)) &&
        (version === undefined || r.version === version)
    );
  }

  /** The loaded packages' profiles: constraint StructureDefinitions that are not extensions. */
  profiles(): StructureDefinition[] {
    return [...this.loaded('StructureDefinition').values()].filter((sd) => sd.derivation === 'constraint' && sd.type !== 'Extension');
  }

  /**
   * The parsed profile for a canonical URL, parsed on first use and cached. Base R4 type URLs
   * (`http://hl7.org/fhir/StructureDefinition/Patient`) give Medplum's own base schema.
   * @param ref - the profile's canonical URL (a `|version` suffix is ignored)
   * @returns the loaded profile, or undefined when unknown or without a snapshot
   */
  getProfile(ref: string): LoadedProfile | undefined {
    const url = canonicalUrl(ref);
    if (this.parent && !this.byType.StructureDefinition.has(url)) {
      return this.parent.getProfile(url);
    }
    const cached = this.parsed.get(url);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    let loaded: LoadedProfile | undefined;
    try {
      loaded = this.loadProfile(url);
    } catch (err) {
      // Medplum's parser refuses some slicings (discriminator type `profile`, a slice before its
      // discriminator…): the profile is reported as unusable, the others still work.
      this.problems.set(url, `profile parsing failed: ${errorText(err)}`);
    }
    this.parsed.set(url, loaded ?? null);
    return loaded;
  }

  /**
   * Why a StructureDefinition that is loaded cannot be used as a profile (no snapshot and its
   * generation failed, Medplum's parser refused it). Call after `getProfile` returned undefined.
   * @param ref - the canonical URL
   * @returns the reason (names the step, never a resource value), or undefined when unknown or usable
   */
  profileProblem(ref: string): string | undefined {
    const url = canonicalUrl(ref);
    if (this.parent && !this.byType.StructureDefinition.has(url)) {
      return this.parent.profileProblem(url);
    }
    this.getProfile(url);
    return this.problems.get(url);
  }

  /** This store's resource of a type and URL, else its parent's. */
  private own<T extends ConformanceType>(type: T, url: string): Extract<ConformanceResource, { resourceType: T }> | undefined {
    return this.byType[type].get(url) ?? this.parent?.own(type, url);
  }

  /** The resources of a type by URL: the parent's, then this store's (replacing by URL). */
  private loaded<T extends ConformanceType>(type: T): Map<string, Extract<ConformanceResource, { resourceType: T }>> {
    return this.parent ? new Map([...this.parent.loaded(type), ...this.byType[type]]) : this.byType[type];
  }

  private loadProfile(url: string): LoadedProfile | undefined {
    loadBaseDefinitions(); // base types resolve through @medplum/core (once per process)
    const own = this.byType.StructureDefinition.get(url);
    if (!own && url.startsWith(HL7_SD)) {
      const typeName = url.slice(HL7_SD.length);
      const baseSchema = tryGetDataType(typeName);
      if (baseSchema && baseSchema.url === url) {
        const sd = { resourceType: 'StructureDefinition', url, type: typeName } as StructureDefinition;
        return { url, sd, schema: baseSchema, key: typeName, isBase: true };
      }
    }
    const sd = own ?? getBaseConformance().structureDefinitions.get(url) ?? (url.startsWith(HL7_SD) ? getCoreProfile(url) : undefined);
    if (!sd) {
      return undefined;
    }
    if (!sd.snapshot?.element?.length) {
      this.problems.set(url, snapshotFailure(sd) ?? 'the StructureDefinition has no snapshot');
      return undefined;
    }
    if (sd.kind === 'logical') {
      this.problems.set(url, 'a logical model is not a profile of a resource');
      return undefined;
    }
    const full = completeSnapshot(sd);
    const schema = leanSchema(annotateProfile(full, fixTypeDiscriminators(parseStructureDefinition(full)))); // issue 15, H4
    const key = `kap-validator/${this.seq}/${url}`;
    const types = getAllDataTypes();
    types[key] = schema;
    return { url, sd, schema, key, isBase: false };
  }
}
