/**
 * The validation corpus runner: loads the cases under test/validation/corpus/<group>/*.json (one
 * JSON file per case, format in docs/design/issue-15-contract.md; a group's `supporting/` folder,
 * or a top-level `supporting` folder, holds conformance resources, not cases), validates each case's
 * resource with a Validator built over its supporting resources (one Validator per distinct set,
 * cached; differential-only StructureDefinitions completed with `withSnapshots`), and compares
 * the outcome with the case's `expect`: the verdict (valid = no `error`/`fatal` issue) and every
 * expected error / warning (expression exact match, code when given). Used by corpus.test.ts
 * (one jest test per case) and scripts/validator-agreement.ts (agreement figures).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationOutcome, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { kapPackageDir, REFERENCE_VALIDATOR_SETTINGS, Validator } from '../../src/validation/index.js';
import { collectConformance } from '../../src/validation/package-loader.js';
import { withSnapshots } from '../../src/validation/snapshot-generator.js';

/** The corpus folder (test/validation/corpus), whatever the working directory. */
export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

/** Folder name that holds conformance resources, never cases. */
const SUPPORTING = 'supporting';

/** One issue a case expects: its FHIRPath expression (exact), optionally its issue type. */
export interface ExpectedIssue {
  expression: string;
  code?: string;
}

/** What a case expects of the validation outcome. */
export interface CaseExpectation {
  /** true = no issue of severity error or fatal. */
  valid: boolean;
  /** Errors (or fatals) that must each appear. */
  errors?: ExpectedIssue[];
  /** Warnings that must each appear. */
  warnings?: ExpectedIssue[];
}

/** A corpus case file's content. */
export interface CorpusCaseFile {
  rule: string;
  source: string;
  profile?: string;
  supporting?: string[];
  resource: Resource;
  expect: CaseExpectation;
}

/** A case as listed: where it is, and its content or why it could not be read. */
export interface CorpusCase {
  /** `<group>/<name>` (the jest test title). */
  id: string;
  group: string;
  name: string;
  file: string;
  content?: CorpusCaseFile;
  /** Why the file is not a usable case (unreadable JSON, missing fields). */
  loadError?: string;
}

/** The outcome of one case. */
export interface CaseResult {
  id: string;
  group: string;
  /** Verdict matches and every expected error and warning appears. */
  agree: boolean;
  /** The valid/invalid verdict matches `expect.valid`. */
  verdictAgrees: boolean;
  expectedValid: boolean | undefined;
  /** Undefined when the case could not be run (see `error`). */
  actualValid: boolean | undefined;
  missingErrors: ExpectedIssue[];
  missingWarnings: ExpectedIssue[];
  /** The issues the validator reported (information issues left out). */
  issues: OperationOutcomeIssue[];
  /** Why the case could not be run: bad case file, supporting file not loadable, validator threw. */
  error?: string;
}

/**
 * The groups (folders) of the corpus.
 * @param root - the corpus folder
 * @returns group names, sorted
 */
export function corpusGroups(root: string = CORPUS_DIR): string[] {
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root)
    .filter((d) => d !== SUPPORTING && !d.startsWith('.') && statSync(join(root, d)).isDirectory())
    .sort();
}

/**
 * Lists the cases of the corpus (synchronously, so jest's `test.each` can use it).
 * @param root - the corpus folder
 * @param group - only this group (folder), e.g. from CORPUS_GROUP
 * @returns the cases, by group then name
 */
export function listCorpus(root: string = CORPUS_DIR, group?: string): CorpusCase[] {
  const groups = group ? [group] : corpusGroups(root);
  const cases: CorpusCase[] = [];
  for (const g of groups) {
    const dir = join(root, g);
    if (!existsSync(dir)) {
      continue;
    }
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      cases.push(readCase(g, join(dir, f)));
    }
  }
  return cases;
}

function readCase(group: string, file: string): CorpusCase {
  const name = basename(file, '.json');
  const base: CorpusCase = { id: `${group}/${name}`, group, name, file };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { ...base, loadError: `case file is not readable JSON: ${(err as Error).message}` };
  }
  const problem = caseFileProblem(parsed);
  if (problem) {
    return { ...base, loadError: problem };
  }
  return { ...base, content: parsed as CorpusCaseFile };
}

function caseFileProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return 'case file is not a JSON object';
  }
  const c = value as Partial<CorpusCaseFile>;
  if (!c.resource || typeof c.resource !== 'object') {
    return 'case has no `resource` object';
  }
  if (!c.expect || typeof c.expect.valid !== 'boolean') {
    return 'case has no `expect.valid` boolean';
  }
  if (c.expect.valid && (c.expect.errors?.length ?? 0) > 0) {
    return 'case expects valid:true but lists errors';
  }
  if (c.supporting !== undefined && (!Array.isArray(c.supporting) || c.supporting.some((s) => typeof s !== 'string'))) {
    return '`supporting` is not a list of paths';
  }
  if (c.profile !== undefined && typeof c.profile !== 'string') {
    return '`profile` is not a string';
  }
  return undefined;
}

/**
 * Resolves a case's supporting path: relative to the case's group folder when the file is there,
 * else relative to the corpus folder.
 * @param c - the case
 * @param path - as written in `supporting`
 * @param root - the corpus folder
 * @returns an absolute path
 */
export function supportingPath(c: CorpusCase, path: string, root: string = CORPUS_DIR): string {
  if (isAbsolute(path)) {
    return path;
  }
  const inGroup = resolve(dirname(c.file), path);
  return existsSync(inGroup) ? inGroup : resolve(root, path);
}

/**
 * Builds Validators over sets of supporting files, one per distinct set (cached by the sorted
 * absolute paths). A failure (unreadable file, snapshot generation) is cached as a rejected promise,
 * so each case that needs that set fails with the same reason.
 */
export class ValidatorCache {
  private readonly cache = new Map<string, Promise<Validator>>();

  /**
   * @param files - absolute paths of conformance resource files (a resource, or a Bundle of them)
   * @returns the Validator over those resources (the KAP package and R4 base included, as the CLI does)
   */
  get(files: readonly string[]): Promise<Validator> {
    const key = [...new Set(files)].sort().join('\n');
    let v = this.cache.get(key);
    if (!v) {
      v = buildValidator([...new Set(files)].sort());
      v.catch(() => undefined); // rejection handled by each awaiting case
      this.cache.set(key, v);
    }
    return v;
  }
}

/**
 * Reads conformance resources from files (each a resource or a Bundle of them); resources of
 * other types in them are ignored.
 * @param files - absolute paths
 * @returns the resources
 * @throws Error naming the file that cannot be read
 */
export function readSupporting(files: readonly string[]): Resource[] {
  const resources: Resource[] = [];
  for (const f of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(f, 'utf8'));
    } catch (err) {
      throw new Error(`supporting file ${f} cannot be read as JSON: ${(err as Error).message}`);
    }
    // a file with no conformance resource the validator uses (e.g. an ImplementationGuide) adds nothing
    collectConformance(json, resources);
  }
  return resources;
}

async function buildValidator(files: readonly string[]): Promise<Validator> {
  if (files.length === 0) {
    return new Validator(REFERENCE_VALIDATOR_SETTINGS);
  }
  const resources = readSupporting(files);
  const sds = resources.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
  let completed: StructureDefinition[];
  try {
    completed = await withSnapshots(sds, kapPackageDir());
  } catch (err) {
    throw new Error(`snapshot generation failed for the supporting profiles: ${(err as Error).message}`);
  }
  return new Validator({ ...REFERENCE_VALIDATOR_SETTINGS, resources: [...resources.filter((r) => r.resourceType !== 'StructureDefinition'), ...completed] });
}

/** The verdict of an outcome: true when it has no error or fatal issue. */
export function isValid(outcome: OperationOutcome): boolean {
  return !(outcome.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
}

function hasIssue(issues: readonly OperationOutcomeIssue[], want: ExpectedIssue, severities: readonly string[]): boolean {
  return issues.some(
    (i) =>
      severities.includes(i.severity) &&
      (i.expression ?? []).includes(want.expression) &&
      (want.code === undefined || i.code === want.code)
  );
}

/**
 * Compares an outcome with an expectation.
 * @param outcome - what the validator returned
 * @param expect - what the case expects
 * @returns verdict agreement and the expected issues that did not appear
 */
export function compare(
  outcome: OperationOutcome,
  expect: CaseExpectation
): Pick<CaseResult, 'agree' | 'verdictAgrees' | 'actualValid' | 'missingErrors' | 'missingWarnings' | 'issues'> {
  const issues = (outcome.issue ?? []).filter((i) => i.severity !== 'information');
  const actualValid = isValid(outcome);
  const verdictAgrees = actualValid === expect.valid;
  const missingErrors = (expect.errors ?? []).filter((e) => !hasIssue(issues, e, ['error', 'fatal']));
  const missingWarnings = (expect.warnings ?? []).filter((w) => !hasIssue(issues, w, ['warning']));
  return {
    agree: verdictAgrees && missingErrors.length === 0 && missingWarnings.length === 0,
    verdictAgrees,
    actualValid,
    missingErrors,
    missingWarnings,
    issues,
  };
}

/**
 * Runs one case: builds (or reuses) the Validator over its supporting files, validates, compares.
 * Never throws: a case that cannot be run is a result with `error` set and `agree` false.
 * @param c - the case
 * @param validators - the Validator cache (share one across cases)
 * @param root - the corpus folder (for supporting paths)
 * @returns the result
 */
export async function runCase(c: CorpusCase, validators: ValidatorCache, root: string = CORPUS_DIR): Promise<CaseResult> {
  const failed = (error: string): CaseResult => ({
    id: c.id,
    group: c.group,
    agree: false,
    verdictAgrees: false,
    expectedValid: c.content?.expect.valid,
    actualValid: undefined,
    missingErrors: c.content?.expect.errors ?? [],
    missingWarnings: c.content?.expect.warnings ?? [],
    issues: [],
    error,
  });
  if (!c.content) {
    return failed(c.loadError ?? 'case not loaded');
  }
  const content = c.content;
  let validator: Validator;
  try {
    validator = await validators.get((content.supporting ?? []).map((p) => supportingPath(c, p, root)));
  } catch (err) {
    return failed(`supporting resources could not be loaded: ${(err as Error).message}`);
  }
  let outcome: OperationOutcome;
  try {
    outcome = validator.validate(content.resource, content.profile ? { profile: content.profile } : {});
  } catch (err) {
    return failed(`the validator threw: ${(err as Error).stack ?? String(err)}`);
  }
  return { id: c.id, group: c.group, expectedValid: content.expect.valid, ...compare(outcome, content.expect) };
}

/**
 * Runs cases one after another (Validators shared).
 * @param cases - from listCorpus
 * @param validators - the Validator cache
 * @param root - the corpus folder
 * @returns the results, in order
 */
export async function runCorpus(cases: readonly CorpusCase[], validators = new ValidatorCache(), root: string = CORPUS_DIR): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    results.push(await runCase(c, validators, root));
  }
  return results;
}

function describeIssue(i: OperationOutcomeIssue): string {
  return `  ${i.severity} ${i.code} ${(i.expression ?? []).join(', ') || '(no expression)'}: ${i.details?.text ?? i.diagnostics ?? ''}`;
}

function describeExpected(e: ExpectedIssue): string {
  return `  ${e.expression}${e.code ? ` (${e.code})` : ''}`;
}

/**
 * A readable account of a case result: expected vs actual verdict, the expected issues that are
 * missing, and every issue the validator reported.
 * @param r - the result
 * @returns text (several lines)
 */
export function formatResult(r: CaseResult): string {
  const verdict = (v: boolean | undefined): string => (v === undefined ? 'not run' : v ? 'valid' : 'invalid');
  const lines = [`${r.id}: ${r.agree ? 'agrees' : 'DISAGREES'} (expected ${verdict(r.expectedValid)}, got ${verdict(r.actualValid)})`];
  if (r.error) {
    lines.push(`error: ${r.error}`);
  }
  if (r.missingErrors.length > 0) {
    lines.push('expected errors not reported:', ...r.missingErrors.map(describeExpected));
  }
  if (r.missingWarnings.length > 0) {
    lines.push('expected warnings not reported:', ...r.missingWarnings.map(describeExpected));
  }
  lines.push(r.issues.length > 0 ? 'actual issues:' : 'actual issues: none', ...r.issues.map(describeIssue));
  return lines.join('\n');
}
