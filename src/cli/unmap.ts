/**
 * `kap-fhir unmap FILE`: reads a FHIR Bundle (our transaction Bundle, or an EHR's searchset/collection)
 * and prints the KAP episode it holds (exit 0), with the list of what was ignored on stderr as JSON; or
 * an OperationOutcome on stdout (exit 1) when the file cannot be read, is not JSON, is not a Bundle of
 * KAP resources, or lacks what an episode needs. Outcomes name fields, never values (no PHI).
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { unmapBundle, type UnmapResult } from '../fhir/reverse/index.js';
import { isOperationOutcome, issue, OperationOutcomeError, outcome } from '../outcomes.js';
import { readJsonFile } from './read-json-file.js';

/** The result of unmapping one file. */
export type UnmapFileResult = ({ ok: true } & UnmapResult) | { ok: false; outcome: OperationOutcome };

/**
 * Reads one Bundle file and maps it back to a KAP episode.
 * @param path - the file path
 */
export async function unmapFile(path: string): Promise<UnmapFileResult> {
  const file = await readJsonFile(path);
  if (!file.ok) {
    return file;
  }
  const json = file.json;
  try {
    return { ok: true, ...unmapBundle(json) };
  } catch (err) {
    if (err instanceof OperationOutcomeError && isOperationOutcome(err.outcome)) {
      return { ok: false, outcome: err.outcome };
    }
    // never echo an unexpected error's message: it could quote the input
    return { ok: false, outcome: outcome([issue('error', 'exception', 'The Bundle could not be mapped back')]) };
  }
}

/**
 * The `unmap` sub-command.
 * @param args - `[FILE]`
 * @returns 0 with the episode on stdout and the ignored list on stderr; 1 with an OperationOutcome on
 *   stdout; 2 on a usage error
 */
export async function unmapCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: kap-fhir unmap FILE\n');
    return 2;
  }
  const result = await unmapFile(args[0]);
  if (!result.ok) {
    process.stdout.write(`${JSON.stringify(result.outcome, null, 2)}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result.episode, null, 2)}\n`);
  process.stderr.write(`${JSON.stringify({ ignored: result.ignored })}\n`);
  return 0;
}
