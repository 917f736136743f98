/**
 * The package's conformance resources (StructureDefinition, ValueSet, CodeSystem, Questionnaire)
 * served read-only under /fhir: read by id, search by `url` (and `version`).
 */
import type { Resource } from '@medplum/fhirtypes';
import { readConformanceFolder } from '../../validation/package-loader.js';

/** A conformance resource with the canonical elements we index. */
type Conformance = Resource & { id?: string; url?: string; version?: string; type?: string };

/** An in-memory index of the compiled package. */
export class ConformanceStore {
  private readonly byKey = new Map<string, Conformance>();
  readonly resources: readonly Conformance[];

  constructor(resources: Resource[]) {
    this.resources = resources as Conformance[];
    for (const r of this.resources) {
      if (r.id) {
        this.byKey.set(`${r.resourceType}/${r.id}`, r);
      }
    }
  }

  /** Loads the compiled package folder (e.g. `profiles/package`). */
  static fromFolder(dir: string): ConformanceStore {
    return new ConformanceStore(readConformanceFolder(dir));
  }

  /** Reads one resource by type and id. */
  read(type: string, id: string): Conformance | undefined {
    return this.byKey.get(`${type}/${id}`);
  }

  /** Resources of a type matching a canonical `url` (and `version` when given); all of the type without url. */
  search(type: string, url?: string, version?: string): Conformance[] {
    return this.resources.filter(
      (r) =>
        r.resourceType === type &&
        (url === undefined || r.url === url || (url.includes('|') && `${r.url}|${r.version}` === url)) &&
        (version === undefined || r.version === version)
    );
  }

  /** The KAP profiles (constraint StructureDefinitions that are not extensions). */
  profiles(): Conformance[] {
    return this.resources.filter(
      (r) =>
        r.resourceType === 'StructureDefinition' &&
        (r as { derivation?: string }).derivation === 'constraint' &&
        r.type !== 'Extension'
    );
  }
}
