/**
 * `kap-fhir check FILE`: reads a KAP episode JSON (mapped with `mapEpisode`) or an already mapped FHIR Bundle and
 * prints its safety signals as JSON `[{rule, severity, resources}]` — exit 0 with or without signals; exit 1 with an
 * OperationOutcome when the file cannot be read or is not a valid episode.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { mapEpisode } from '../fhir/map-episode.js';
import { parseEpisode } from '../kap/episode.js';
import { detectSignals } from '../safety/detect-signals.js';
import type { SafetySignal } from '../safety/types.js';
import { readJsonFile } from './read-json-file.js';

/** The result of checking one file. */
export type CheckFileResult = { ok: true; signals: SafetySignal[] } | { ok: false; outcome: OperationOutcome };

/**
 * The signals of parsed JSON: a Bundle as is, anything else parsed as a KAP episode and mapped.
 * @param json - a Bundle or a KAP episode
 */
export function checkJson(json: unknown): CheckFileResult {
  let bundle: Bundle;
  if (typeof json === 'object' && json !== null && (json as { resourceType?: unknown }).resourceType === 'Bundle') {
    bundle = json as Bundle;
  } else {
    const parsed = parseEpisode(json);
    if (!parsed.ok) {
      return parsed;
    }
    bundle = mapEpisode(parsed.episode);
  }
  const signals = detectSignals(bundle).map(({ rule, severity, resources }) => ({ rule, severity, resources }));
  return { ok: true, signals };
}

/**
 * Reads and checks one file.
 * @param path - the file path
 */
export async function checkFile(path: string): Promise<CheckFileResult> {
  const file = await readJsonFile(path);
  if (!file.ok) {
    return file;
  }
  const json = file.json;
  return checkJson(json);
}

/**
 * The `check` sub-command.
 * @param args - `[FILE]`
 * @returns 0 with the signals on stdout (an empty array when none); 1 with an OperationOutcome; 2 on a usage error
 */
export async function checkCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: kap-fhir check FILE\n');
    return 2;
  }
  const result = await checkFile(args[0]);
  process.stdout.write(`${JSON.stringify(result.ok ? result.signals : result.outcome, null, 2)}\n`);
  return result.ok ? 0 : 1;
}
