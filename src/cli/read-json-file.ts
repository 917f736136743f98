/**
 * Reads a JSON file for a sub-command. A file that cannot be read or parsed is an OperationOutcome
 * with fixed text: never the file's content or the parser's message (either could quote PHI).
 */
import { readFile } from 'node:fs/promises';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { issue, outcome } from '../outcomes.js';

/** The parsed file, or why there is none. */
export type JsonFileResult = { ok: true; json: unknown } | { ok: false; outcome: OperationOutcome };

/**
 * Reads and parses one JSON file.
 * @param path - the file path
 * @returns the parsed JSON, or an OperationOutcome (`not-found` unreadable, `structure` not JSON)
 */
export async function readJsonFile(path: string): Promise<JsonFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { ok: false, outcome: outcome([issue('error', 'not-found', 'The file cannot be read')]) };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, outcome: outcome([issue('error', 'structure', 'The file is not valid JSON')]) };
  }
}
