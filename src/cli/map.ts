/**
 * `kap-fhir map FILE`: reads a KAP episode JSON file and prints its FHIR R4 transaction Bundle (exit 0),
 * or an OperationOutcome (exit 1) when the file cannot be read, is not JSON, or is not a valid episode.
 * Outcomes name fields, never values (no PHI), and never echo the file's content.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { mapEpisode } from '../fhir/map-episode.js';
import { parseEpisode } from '../kap/episode.js';
import { readJsonFile } from './read-json-file.js';

/** The result of mapping one file. */
export type MapFileResult = { ok: true; bundle: Bundle } | { ok: false; outcome: OperationOutcome };

/**
 * Reads, validates and maps one KAP episode file.
 * @param path - the file path
 */
export async function mapFile(path: string): Promise<MapFileResult> {
  const file = await readJsonFile(path);
  if (!file.ok) {
    return file;
  }
  const json = file.json;
  const parsed = parseEpisode(json);
  if (!parsed.ok) {
    return parsed;
  }
  return { ok: true, bundle: mapEpisode(parsed.episode) };
}

/**
 * The `map` sub-command.
 * @param args - `[FILE]`
 * @returns 0 with the Bundle on stdout; 1 with an OperationOutcome on stdout; 2 on a usage error
 */
export async function mapCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: kap-fhir map FILE\n');
    return 2;
  }
  const result = await mapFile(args[0]);
  process.stdout.write(`${JSON.stringify(result.ok ? result.bundle : result.outcome, null, 2)}\n`);
  return result.ok ? 0 : 1;
}
