/**
 * `kap-fhir map FILE [--clinic ID]`: reads a KAP episode JSON file and prints the FHIR R4 transaction
 * Bundle the EHR receives for it when the clinic sends it (exit 0): the pipeline's map + safety-signal
 * step (src/pipeline/map-clinic-episode.ts) with the clinic as the tenant — `--clinic`, default the
 * embedded demo clinic (`KAP_DEMO_CLINIC_ID`, else `demo-clinic`) — so the clinic identifiers and the
 * DetectedIssue + Communication of each safety signal are the service's. Or an OperationOutcome (exit 1)
 * when the file cannot be read, is not JSON, or is not a valid episode. Outcomes name fields, never values
 * (no PHI), and never echo the file's content.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { FHIR_ID } from '../fhir-id.js';
import { parseEpisode, type KapEpisode } from '../kap/episode.js';
import { OperationOutcomeError } from '../outcomes.js';
import { mapClinicEpisodeWithSummaries, type MappedEpisode } from '../pipeline/map-clinic-episode.js';
import { demoClinicId } from '../server/demo-clinic.js';
import { readJsonFile } from './read-json-file.js';

const USAGE = 'usage: kap-fhir map FILE [--clinic ID]\n';

/** The result of mapping one file. */
export type MapFileResult = { ok: true; bundle: Bundle; version: number } | { ok: false; outcome: OperationOutcome };

/**
 * Reads, validates and maps one KAP episode file for a clinic.
 * @param path - the file path
 * @param clinicId - the clinic that sends it (default: the embedded demo clinic)
 * @param map - the map step (default: what the EHR receives, session summaries included)
 */
export async function mapFile(
  path: string,
  clinicId: string = demoClinicId(),
  map: (episode: KapEpisode, clinicId: string) => MappedEpisode | Promise<MappedEpisode> = mapClinicEpisodeWithSummaries
): Promise<MapFileResult> {
  const file = await readJsonFile(path);
  if (!file.ok) {
    return file;
  }
  const parsed = parseEpisode(file.json);
  if (!parsed.ok) {
    return parsed;
  }
  try {
    const mapped = await map(parsed.episode, clinicId);
    return { ok: true, bundle: mapped.bundle, version: mapped.version };
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return { ok: false, outcome: err.outcome };
    }
    throw err;
  }
}

/** `FILE [--clinic ID]` (also `--clinic=ID`), or undefined on a usage error. */
function parseArgs(args: string[]): { file: string; clinicId?: string } | undefined {
  let file: string | undefined;
  let clinicId: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--clinic' || arg.startsWith('--clinic=')) {
      clinicId = arg === '--clinic' ? args[++i] : arg.slice('--clinic='.length);
      if (clinicId === undefined || !FHIR_ID.test(clinicId)) {
        return undefined;
      }
    } else if (file === undefined && !arg.startsWith('--')) {
      file = arg;
    } else {
      return undefined;
    }
  }
  return file === undefined ? undefined : { file, clinicId };
}

/**
 * The `map` sub-command.
 * @param args - `FILE [--clinic ID]`
 * @returns 0 with the Bundle on stdout; 1 with an OperationOutcome on stdout; 2 on a usage error
 */
export async function mapCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  const result = await mapFile(parsed.file, parsed.clinicId);
  process.stdout.write(`${JSON.stringify(result.ok ? result.bundle : result.outcome, null, 2)}\n`);
  return result.ok ? 0 : 1;
}
