/**
 * The example files of examples/ (valid episodes and invalid ones with their expected outcome),
 * read once for the mapping tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Absolute path of examples/. */
export const EXAMPLES_DIR = join(ROOT, 'examples');
/** Absolute path of examples/invalid/. */
export const INVALID_DIR = join(EXAMPLES_DIR, 'invalid');

/** Reads and parses a JSON file. */
export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The valid example episodes: [file name, absolute path]. */
export function validExamples(): [string, string][] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, join(EXAMPLES_DIR, f)]);
}

/** What an invalid example's OperationOutcome must name. */
export interface ExpectedIssue {
  expression: string;
  code: 'invalid' | 'required';
}

/** The invalid examples: [name, absolute path of the episode, expected issue]. */
export function invalidExamples(): [string, string, ExpectedIssue][] {
  return readdirSync(INVALID_DIR)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      return [name, join(INVALID_DIR, f), readJson(join(INVALID_DIR, `${name}.expected.json`)) as ExpectedIssue];
    });
}
