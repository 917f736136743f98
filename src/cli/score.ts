/**
 * `kap-fhir score FILE`: reads a KAP instrument submission `{instrument, answers, authored, sessionId?}` or a FHIR
 * QuestionnaireResponse and prints a collection Bundle with the response and its score Observation(s) (exit 0), or
 * an OperationOutcome (exit 1) when it cannot be read or scored (missing items named by linkId in `expression`).
 * Outcomes never echo the file's content.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { uuidV5 } from '../fhir/identifiers.js';
import { scoreSubmission } from '../instruments/score-response.js';
import { readJsonFile } from './read-json-file.js';

/** The result of scoring one file. */
export type ScoreFileResult = { ok: true; bundle: Bundle } | { ok: false; outcome: OperationOutcome };

/**
 * Scores parsed JSON into a collection Bundle. fullUrls are deterministic `urn:uuid`s of the input, so the same
 * file always prints the same Bundle.
 * @param json - a KAP submission or a QuestionnaireResponse
 */
export function scoreJson(json: unknown): ScoreFileResult {
  const responseUrl = `urn:uuid:${uuidV5(`QuestionnaireResponse|score|${JSON.stringify(json)}`)}`;
  const scored = scoreSubmission(json, { responseReference: responseUrl });
  if (!scored.ok) {
    return scored;
  }
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: responseUrl, resource: scored.response },
      ...scored.observations.map((resource, i) => ({
        fullUrl: `urn:uuid:${uuidV5(`Observation|${responseUrl}|${i}`)}`,
        resource,
      })),
    ],
  };
  return { ok: true, bundle };
}

/**
 * Reads and scores one file.
 * @param path - the file path
 */
export async function scoreFile(path: string): Promise<ScoreFileResult> {
  const file = await readJsonFile(path);
  if (!file.ok) {
    return file;
  }
  const json = file.json;
  return scoreJson(json);
}

/**
 * The `score` sub-command.
 * @param args - `[FILE]`
 * @returns 0 with the Bundle on stdout; 1 with an OperationOutcome on stdout; 2 on a usage error
 */
export async function scoreCommand(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: kap-fhir score FILE\n');
    return 2;
  }
  const result = await scoreFile(args[0]);
  process.stdout.write(`${JSON.stringify(result.ok ? result.bundle : result.outcome, null, 2)}\n`);
  return result.ok ? 0 : 1;
}
