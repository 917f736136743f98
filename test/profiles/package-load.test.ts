/**
 * The compiled package loads: every StructureDefinition into @medplum/core (`loadDataType`), the whole folder into
 * fhir-package-loader (the loader SUSHI uses), and the published Questionnaires are the ones src/instruments generates.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, createReadStream, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDataType, tryGetProfile } from '@medplum/core';
import type { Questionnaire } from '@medplum/fhirtypes';
import {
  BasePackageLoader,
  DiskBasedPackageCache,
  LoadStatus,
  SQLJSPackageDB,
  type CurrentBuildClient,
  type RegistryClient,
} from 'fhir-package-loader';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import { getInstrument, INSTRUMENT_IDS } from '../../src/instruments/index.js';
import { REMS_QUESTIONNAIRE_ID, remsMonitoringQuestionnaire } from '../../src/rems/rems-questionnaire.js';
import { kapProfile } from '../../src/terminology/systems.js';
import { ensureCoreCache, CORE_PACKAGE } from '../../src/validation/fhir-package-cache.js';
import { sortKeysDeep } from '../../scripts/profiles-json.js';
import { PACKAGE_DIR, packageExamples, packageResources, packageStructureDefinitions } from './package-files.js';

const PROFILE_IDS = [
  'kap-patient', 'kap-episode', 'kap-ketamine-prescription', 'kap-ketamine-administration', 'kap-psychotherapy-session',
  'kap-session-encounter', 'kap-blood-pressure', 'kap-heart-rate', 'kap-oxygen-saturation', 'kap-respiratory-rate',
  'kap-body-weight', 'kap-instrument-score', 'kap-dissociation-score', 'kap-questionnaire-response', 'kap-side-effect',
  'kap-safety-signal', 'kap-safety-communication', 'kap-condition',
  // issue 13 (docs/design/issue-13-contract.md)
  'kap-sedation-score', 'kap-respiratory-depression', 'kap-discharge-readiness', 'kap-dosing-plan', 'kap-medication-statement',
  'kap-screening', 'kap-phq9-item9', 'kap-change-from-baseline', 'kap-compounded-ketamine',
  // issue 14: the Spravato REMS monitoring record (docs/summary.md "REMS monitoring record")
  'kap-rems-monitoring-response',
  // issue 14: the session summary document's Composition (docs/summary.md)
  'kap-session-summary',
  // issue 14: the episode summary document's Composition, made on request (docs/summary.md)
  'kap-episode-summary',
];
const EXTENSION_IDS = [
  'kap-dosing-phase', 'kap-dose-per-body-weight', 'kap-lot-number', 'kap-condition-qualifier', 'kap-source-version',
  'kap-session-count', 'kap-device-count',
];

const offline: RegistryClient & CurrentBuildClient = {
  resolveVersion: async (_name: string, version: string) => version,
  download: async (name: string) => {
    throw new Error(`offline: ${name}`);
  },
  downloadCurrentBuild: async (name: string) => {
    throw new Error(`offline: ${name}`);
  },
  getCurrentBuildDate: async (name: string) => {
    throw new Error(`offline: ${name}`);
  },
};

describe('KAP package', () => {
  test('declares every profile and extension of docs/conventions.md, each with a snapshot', () => {
    const sds = packageStructureDefinitions();
    const ids = sds.map((sd) => sd.id).sort();
    expect(ids).toEqual([...PROFILE_IDS, ...EXTENSION_IDS].sort());
    for (const sd of sds) {
      expect(sd.url).toBe(kapProfile(sd.id as string));
      expect(sd.snapshot?.element.length).toBeGreaterThan(0);
    }
  });

  test('every StructureDefinition loads into @medplum/core', () => {
    loadBaseDefinitions();
    for (const sd of packageStructureDefinitions()) {
      expect(() => loadDataType(sd)).not.toThrow();
      const schema = tryGetProfile(sd.url);
      expect(schema?.name).toBe(sd.name);
      expect(Object.keys(schema?.elements ?? {}).length).toBeGreaterThan(0);
    }
  });

  test('the package folder loads into fhir-package-loader', async () => {
    const cache = ensureCoreCache(resolve(process.cwd(), '.fhir-cache'));
    const dir = mkdtempSync(join(tmpdir(), 'kap-fpl-'));
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
      cpSync(PACKAGE_DIR, join(dir, `${manifest.name}#${manifest.version}`, 'package'), { recursive: true });
      symlinkSync(join(cache.packagesDir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`), join(dir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`));
      const messages: string[] = [];
      const log = (level: string, message: string): void => {
        if (level === 'error' || level === 'warn') {
          messages.push(`${level} ${message}`);
        }
      };
      const db = new SQLJSPackageDB();
      await db.initialize();
      const loader = new BasePackageLoader(db, new DiskBasedPackageCache(dir, { log }), offline, offline, { log });
      expect(await loader.loadPackage(CORE_PACKAGE.name, CORE_PACKAGE.version)).toBe(LoadStatus.LOADED);
      expect(await loader.loadPackage(manifest.name, manifest.version)).toBe(LoadStatus.LOADED);
      expect(messages).toEqual([]);
      const scope = { scope: manifest.name };
      const loaded = loader.findResourceInfos('*', scope);
      expect(loaded.length).toBe(packageResources().length);
      const patient = loader.findResourceJSON('kap-patient', { ...scope, type: ['Profile'] }) as { url?: string } | undefined;
      expect(patient?.url).toBe(kapProfile('kap-patient'));
      // the vital-sign profiles' parents come from the core package
      expect(loader.findResourceJSON('http://hl7.org/fhir/StructureDefinition/bp')).toBeDefined();
      db.clear();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the npm-packed tarball (npm run profiles:pack) installs into a FHIR package cache and loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-pack-'));
    try {
      const out = execFileSync('npm', ['pack', PACKAGE_DIR, '--pack-destination', dir, '--json', '--silent'], { encoding: 'utf8' });
      const [{ filename, name, version }] = JSON.parse(out) as { filename: string; name: string; version: string }[];
      const cacheDir = join(dir, 'cache');
      const packageCache = new DiskBasedPackageCache(cacheDir);
      await packageCache.cachePackageTarball(name, version, createReadStream(join(dir, filename)));
      // every resource file plus package.json at the top of package/
      expect(packageCache.getPotentialResourcePaths(name, version).length).toBe(packageResources().length + 1);
      const db = new SQLJSPackageDB();
      await db.initialize();
      const loader = new BasePackageLoader(db, packageCache, offline, offline);
      expect(await loader.loadPackage(name, version)).toBe(LoadStatus.LOADED);
      expect(loader.findResourceJSON('kap-ketamine-administration', { scope: name })).toBeDefined();
      db.clear();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('publishes exactly the Questionnaires src/instruments and src/rems generate', () => {
    const published = packageResources().filter((r): r is Questionnaire => r.resourceType === 'Questionnaire');
    expect(published.map((q) => q.id).sort()).toEqual([...INSTRUMENT_IDS, REMS_QUESTIONNAIRE_ID].sort());
    for (const q of published) {
      const generated =
        q.id === REMS_QUESTIONNAIRE_ID ? remsMonitoringQuestionnaire() : getInstrument(q.id as (typeof INSTRUMENT_IDS)[number]).questionnaire();
      expect(q).toEqual(sortKeysDeep(generated));
    }
  });

  test('has at least one example per profile, each declaring its profile', () => {
    const declared = new Set(packageExamples().flatMap((r) => r.meta?.profile ?? []));
    for (const id of PROFILE_IDS) {
      expect(declared.has(kapProfile(id))).toBe(true);
    }
  });
});
