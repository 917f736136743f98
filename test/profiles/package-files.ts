/**
 * Reads the compiled KAP package (profiles/package/) for the profile tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';

/** The compiled package folder. */
export const PACKAGE_DIR = resolve(process.cwd(), 'profiles', 'package');

function readFolder(dir: string): Resource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Resource);
}

/** Every conformance resource of the package (StructureDefinitions, ValueSets, CodeSystems, Questionnaires). */
export function packageResources(): Resource[] {
  return readFolder(PACKAGE_DIR);
}

/** Every example instance (profiles/package/example/). */
export function packageExamples(): Resource[] {
  return readFolder(join(PACKAGE_DIR, 'example'));
}

/** The package's StructureDefinitions (profiles and extensions). */
export function packageStructureDefinitions(): StructureDefinition[] {
  return packageResources().filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
}
