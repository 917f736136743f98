/**
 * Reads conformance resources (StructureDefinition, ValueSet, CodeSystem, Questionnaire) from a
 * FHIR package folder (`package.json` + `<Type>-<id>.json`, optionally under `package/`) or from
 * any folder of FHIR JSON files. Examples (`example/`) are not conformance resources and are skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** The resource types a validator can use as conformance resources. */
export const CONFORMANCE_TYPES: ReadonlySet<string> = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'Questionnaire',
]);

/**
 * Reads every conformance resource from a folder (not recursive, except into `package/`).
 * A JSON file holding a Bundle contributes its conformance entries.
 * @param dir - a FHIR package folder or a folder of JSON files
 * @returns the conformance resources found
 */
export function readConformanceFolder(dir: string): Resource[] {
  let root = dir;
  const nested = join(dir, 'package');
  if (isDirectory(nested)) {
    root = nested;
  }
  const out: Resource[] = [];
  for (const name of readdirSync(root).sort()) {
    if (!name.endsWith('.json') || name === 'package.json' || name.startsWith('.')) {
      continue;
    }
    const file = join(root, name);
    if (!statSync(file).isFile()) {
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // not JSON: not a conformance resource
    }
    collectConformance(parsed, out);
  }
  return out;
}

/**
 * Adds `value` (a resource or a Bundle of them) to `out` when it is a conformance resource.
 * @param value - parsed JSON
 * @param out - the list to add to
 */
export function collectConformance(value: unknown, out: Resource[]): void {
  if (!value || typeof value !== 'object') {
    return;
  }
  const resource = value as Resource;
  if (resource.resourceType === 'Bundle') {
    for (const entry of (resource as Bundle).entry ?? []) {
      collectConformance(entry.resource, out);
    }
  } else if (CONFORMANCE_TYPES.has(resource.resourceType)) {
    out.push(resource);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
