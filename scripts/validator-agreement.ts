/**
 * `npm run validate:agreement`: how often the validator agrees with the HL7 Java reference
 * validator, compared with stock Medplum `validateResource` on the same cases.
 * - Over our corpus (test/validation/corpus): a case agrees when its verdict (valid = no error or
 *   fatal issue) matches and every expected error expression appears (warnings too, for ours);
 *   printed overall and per group.
 * - With `FHIR_TEST_CASES=<dir>`: over the HL7 fhir-test-cases validator tests in that folder (its
 *   `manifest.json`, or `validator/manifest.json`): R4 JSON cases only (`version` "4.0", `.json`
 *   file, not `use-test: false`, no `packages` to fetch), each validated with its `supporting` /
 *   `profiles` files loaded, and again against its `profile.source` when the case has one; the
 *   expected verdict is the `java` outcome's (valid when its error count is 0). Verdict agreement.
 * Never writes anything; `VERBOSE=1` prints every disagreement with the issues.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { validateResource, OperationOutcomeError } from '@medplum/core';
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../src/fhir/definitions.js';
import {
  compare,
  formatResult,
  listCorpus,
  readSupporting,
  runCase,
  supportingPath,
  ValidatorCache,
  type CaseExpectation,
  type CaseResult,
  type CorpusCase,
} from '../test/validation/corpus-runner.js';

const VERBOSE = process.env.VERBOSE === '1';

/** One case's verdicts: ours (the runner's result) and stock Medplum's. */
interface Row {
  ours: CaseResult;
  stock: CaseResult;
  /** For the HL7 cases: the reference validator's first messages (to group disagreements by rule). */
  note?: string;
}

/** Stock Medplum `validateResource`, against the case's explicit profile when it has a snapshot. */
async function runStock(c: CorpusCase, validators: ValidatorCache, root?: string): Promise<CaseResult> {
  const base = { id: c.id, group: c.group, expectedValid: c.content?.expect.valid };
  const notRun = (error: string): CaseResult => ({
    ...base,
    agree: false,
    verdictAgrees: false,
    actualValid: undefined,
    missingErrors: c.content?.expect.errors ?? [],
    missingWarnings: [],
    issues: [],
    error,
  });
  if (!c.content) {
    return notRun(c.loadError ?? 'case not loaded');
  }
  const content = c.content;
  let profile: StructureDefinition | undefined;
  if (content.profile) {
    try {
      const files = (content.supporting ?? []).map((p) => supportingPath(c, p, root));
      const raw = readSupporting(files).find(
        (r): r is StructureDefinition => r.resourceType === 'StructureDefinition' && (r as StructureDefinition).url === content.profile
      );
      profile = raw?.snapshot?.element?.length ? raw : (await validators.get(files)).store.getProfile(content.profile)?.sd;
    } catch (err) {
      return notRun(`profile not usable: ${(err as Error).message}`);
    }
  }
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(content.resource, profile ? { profile } : undefined);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      issues = err.outcome.issue ?? [];
    } else {
      return notRun(`validateResource threw: ${(err as Error).message}`);
    }
  }
  // stock is judged on the verdict and the error expressions (it has no warnings to speak of)
  const expect: CaseExpectation = { ...content.expect, warnings: [] };
  return { ...base, ...compare({ resourceType: 'OperationOutcome', issue: issues }, expect) };
}

function pct(n: number, d: number): string {
  return d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

function summarize(label: string, rows: readonly Row[], pick: (r: Row) => CaseResult): string {
  const results = rows.map(pick);
  const agree = results.filter((r) => r.agree).length;
  const verdict = results.filter((r) => r.verdictAgrees).length;
  const acceptsInvalid = results.filter((r) => r.expectedValid === false && r.actualValid === true).length;
  const rejectsValid = results.filter((r) => r.expectedValid === true && r.actualValid === false).length;
  const notRun = results.filter((r) => r.actualValid === undefined).length;
  const invalid = results.filter((r) => r.expectedValid === false).length;
  const valid = results.filter((r) => r.expectedValid === true).length;
  return (
    `${label.padEnd(8)} agreement ${String(agree).padStart(4)}/${results.length} ${pct(agree, results.length)}` +
    `  (verdict ${verdict}/${results.length} ${pct(verdict, results.length)};` +
    ` accepts invalid ${acceptsInvalid}/${invalid}, rejects valid ${rejectsValid}/${valid}, not run / crashed ${notRun})`
  );
}

function firstErrors(r: CaseResult): string {
  if (r.error) {
    return r.error.split('\n')[0];
  }
  const errs = r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  return errs
    .slice(0, 3)
    .map((i) => `${(i.expression ?? [])[0] ?? '-'}: ${i.details?.text ?? i.diagnostics ?? i.code}`)
    .join(' | ');
}

function printDisagreements(rows: readonly Row[]): void {
  const bad = rows.filter((r) => !r.ours.agree);
  if (bad.length === 0) {
    return;
  }
  console.log(`  disagreements (ours), ${bad.length}:`);
  for (const r of bad) {
    if (VERBOSE) {
      console.log(formatResult(r.ours).replace(/^/gm, '    '));
      if (r.note) console.log(`    reference: ${r.note}`);
    } else {
      const v = (x: boolean | undefined): string => (x === undefined ? 'not run' : x ? 'valid' : 'invalid');
      const what = r.ours.verdictAgrees ? `missing ${r.ours.missingErrors.map((e) => e.expression).join(', ')}` : firstErrors(r.ours);
      console.log(`    ${r.ours.id}: expected ${v(r.ours.expectedValid)}, got ${v(r.ours.actualValid)}${what ? ` — ${what}` : ''}`);
      if (r.note && !r.ours.verdictAgrees && r.ours.expectedValid === false) console.log(`      reference: ${r.note}`);
    }
  }
}

async function runRows(cases: readonly CorpusCase[], validators: ValidatorCache, root?: string, notes?: Map<string, string>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of cases) {
    rows.push({ ours: await runCase(c, validators, root), stock: await runStock(c, validators, root), note: notes?.get(c.id) });
  }
  return rows;
}

async function corpusReport(validators: ValidatorCache): Promise<void> {
  const rows = await runRows(listCorpus(), validators);
  console.log(`corpus (test/validation/corpus): ${rows.length} cases`);
  console.log(`  ${summarize('ours', rows, (r) => r.ours)}`);
  console.log(`  ${summarize('stock', rows, (r) => r.stock)}`);
  const groups = [...new Set(rows.map((r) => r.ours.group))];
  console.log('  per group:                 cases   ours  stock');
  for (const g of groups) {
    const gr = rows.filter((r) => r.ours.group === g);
    const ours = gr.filter((r) => r.ours.agree).length;
    const stock = gr.filter((r) => r.stock.agree).length;
    console.log(`    ${g.padEnd(24)} ${String(gr.length).padStart(5)} ${pct(ours, gr.length)} ${pct(stock, gr.length)}`);
  }
  printDisagreements(rows);
}

/** A manifest test case, as far as read here. */
interface ManifestCase {
  name: string;
  file: string;
  version?: string;
  'use-test'?: boolean;
  packages?: string[];
  supporting?: string[];
  profiles?: string[];
  profile?: { source?: string; supporting?: string[]; java?: JavaOutcome };
  java?: JavaOutcome;
}

interface JavaOutcome {
  errorCount?: number;
  output?: string[];
  /** Newer manifests: the expected OperationOutcome, or its path (relative to the manifest's folder). */
  outcome?: string | { issue?: OperationOutcomeIssue[] };
}

/** The reference validator's error count, from `errorCount` or from its recorded outcome. */
function javaErrors(java: JavaOutcome, dir: string): { errors: number; note: string } | undefined {
  let issues: OperationOutcomeIssue[] | undefined;
  if (typeof java.outcome === 'string') {
    const path = join(dir, java.outcome);
    if (!existsSync(path)) {
      return undefined;
    }
    issues = (JSON.parse(readFileSync(path, 'utf8')) as { issue?: OperationOutcomeIssue[] }).issue ?? [];
  } else if (java.outcome && typeof java.outcome === 'object') {
    issues = java.outcome.issue ?? [];
  }
  const errorIssues = issues?.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const errors = java.errorCount ?? errorIssues?.length;
  if (errors === undefined) {
    return undefined;
  }
  const lines =
    java.output?.filter((l) => /^(ERROR|FATAL)/.test(l) || !/^[A-Z]+:/.test(l)) ??
    errorIssues?.map((i) => `${(i.expression ?? [])[0] ?? ''}: ${i.details?.text ?? ''}`) ??
    [];
  return { errors, note: lines.slice(0, 2).join(' | ').slice(0, 300) };
}

function fhirTestCases(dir: string): { cases: CorpusCase[]; notes: Map<string, string>; skipped: number } {
  const manifestPath = [join(dir, 'manifest.json'), join(dir, 'validator', 'manifest.json')].find((p) => existsSync(p));
  if (!manifestPath) {
    throw new Error(`FHIR_TEST_CASES=${dir}: no manifest.json (nor validator/manifest.json) there`);
  }
  const base = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { 'test-cases'?: ManifestCase[] };
  const cases: CorpusCase[] = [];
  const notes = new Map<string, string>();
  let skipped = 0;
  const add = (id: string, tc: ManifestCase, supporting: string[], profile: string | undefined, java: JavaOutcome | undefined): void => {
    const expected = java && javaErrors(java, base);
    const files = [tc.file, ...supporting].map((f) => join(base, f));
    if (!expected || files.some((f) => !existsSync(f))) {
      skipped++;
      return;
    }
    let resource: Resource;
    try {
      resource = JSON.parse(readFileSync(join(base, tc.file), 'utf8')) as Resource;
    } catch {
      skipped++;
      return;
    }
    const c: CorpusCase = {
      id,
      group: 'hl7',
      name: id,
      file: manifestPath,
      content: {
        rule: 'fhir-test-cases',
        source: `FHIR/fhir-test-cases validator/${tc.file}`,
        profile,
        supporting: supporting.map((f) => join(base, f)),
        resource,
        expect: { valid: expected.errors === 0, errors: [] },
      },
    };
    cases.push(c);
    notes.set(id, expected.note);
  };
  for (const tc of manifest['test-cases'] ?? []) {
    if (tc['use-test'] === false || !tc.version?.startsWith('4.0') || !tc.file?.endsWith('.json') || (tc.packages?.length ?? 0) > 0) {
      skipped++;
      continue;
    }
    const supporting = [...(tc.supporting ?? []), ...(tc.profiles ?? [])];
    add(tc.name, tc, supporting, undefined, tc.java);
    if (tc.profile?.source) {
      const source = tc.profile.source;
      const sdPath = join(base, source);
      let url: string | undefined;
      try {
        url = (JSON.parse(readFileSync(sdPath, 'utf8')) as StructureDefinition).url;
      } catch {
        url = undefined;
      }
      if (!url) {
        skipped++;
        continue;
      }
      add(`${tc.name} (profile)`, tc, [...supporting, ...(tc.profile.supporting ?? []), source], url, tc.profile.java);
    }
  }
  return { cases, notes, skipped };
}

async function hl7Report(dir: string, validators: ValidatorCache): Promise<void> {
  const { cases, notes, skipped } = fhirTestCases(dir);
  const rows = await runRows(cases, validators, undefined, notes);
  console.log(`HL7 fhir-test-cases (${dir}): ${rows.length} R4 JSON validations (${skipped} manifest entries/steps skipped)`);
  console.log(`  ${summarize('ours', rows, (r) => r.ours)}`);
  console.log(`  ${summarize('stock', rows, (r) => r.stock)}`);
  printDisagreements(rows);
}

async function main(): Promise<void> {
  loadBaseDefinitions();
  const validators = new ValidatorCache();
  await corpusReport(validators);
  const dir = process.env.FHIR_TEST_CASES;
  if (dir) {
    console.log('');
    await hl7Report(dir, validators);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
