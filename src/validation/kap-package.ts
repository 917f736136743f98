/**
 * The compiled KAP package (`profiles/package`): where it is, and its conformance resources read
 * once per process, on first use, into the one {@link ConformanceStore} that the default validator
 * and the API (`/fhir` conformance reads, CapabilityStatement, `/ready`) share. Reading it takes a
 * few ms (~50 small JSON files); parsing its profiles and the R4 base happens later still, on the
 * first validation (see conformance-store.ts and validator.ts). Each worker thread has its own copy
 * (module state is per thread).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../log.js';
import { ConformanceStore } from './conformance-store.js';
import { readConformanceFolder } from './package-loader.js';

/**
 * The folder of the compiled KAP package: `KAP_PROFILES_PACKAGE`, else `profiles/package` found
 * upwards from this module (src/ or dist/src/), else under the working directory.
 * @returns the folder path
 */
export function kapPackageDir(): string {
  if (process.env.KAP_PROFILES_PACKAGE) {
    return process.env.KAP_PROFILES_PACKAGE;
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'profiles', 'package');
    if (existsSync(join(candidate, 'package.json'))) {
      return candidate;
    }
    dir = dirname(dir);
  }
  return resolve('profiles', 'package');
}

/**
 * Adds a conformance folder to a store; a missing folder is logged and skipped.
 * @param store - the store to add to
 * @param folder - a FHIR package folder or a folder of JSON files
 */
export function addConformanceFolder(store: ConformanceStore, folder: string): void {
  const name = folder.split('/').slice(-2).join('/');
  if (!existsSync(folder)) {
    log.warn({ folder: name }, 'conformance package folder missing');
    return;
  }
  const resources = readConformanceFolder(folder);
  store.addAll(resources);
  log.debug({ folder: name, count: resources.length }, 'conformance package loaded');
}

let kapStore: ConformanceStore | undefined;

/**
 * The KAP package's conformance resources, read on the first call (once per process, per thread).
 * @returns the shared store: add nothing to it; build `new ConformanceStore(kapConformance())` to extend it
 */
export function kapConformance(): ConformanceStore {
  if (!kapStore) {
    const store = new ConformanceStore();
    addConformanceFolder(store, kapPackageDir());
    kapStore = store;
  }
  return kapStore;
}

/** True once {@link kapConformance} has read the package (readiness, without reading it). */
export function kapConformanceLoaded(): boolean {
  return kapStore !== undefined;
}
