/**
 * `kap-fhir summary FILE [--session ID | --episode] [--clinic ID] [--format pdf|fhir|docref] [--out PATH]`: the
 * session summary of one dosing session of a KAP episode file (issue 14), or with `--episode` the summary of the
 * whole episode (src/summary/episode-document.ts, src/summary/pdf/episode-summary-pdf.ts; `pdf` or `fhir` only). The file is mapped as `kap-fhir map` maps it (the
 * pipeline's map + safety-signal step, the clinic as the tenant), the session's view is read back from the mapped
 * Bundle (`sessionView`), and rendered:
 * - `pdf` (default): the summary PDF, written to `--out` (required: no PDF on a terminal);
 * - `fhir`: the FHIR document Bundle (Composition first, src/summary/session-document.ts);
 * - `docref`: the DocumentReference carrying the PDF (src/summary/document-reference.ts).
 * JSON goes to `--out` when given, else stdout. `--session` names the dosing session (default: the last one by dose
 * time). The document's timestamp is the session's end (the episode's: its last session's), so the same file gives
 * the same bytes. `--episode` with `--session`, or with `--format docref`, is a usage error.
 *
 * Exit 0 on success; 1 with an OperationOutcome on stdout when the file cannot be read, is no valid episode, or has
 * no such dosing session; 2 on a usage error. Outcomes name fields, never values (no PHI).
 */
import { writeFile } from 'node:fs/promises';
import type { Bundle, MedicationAdministration, OperationOutcome } from '@medplum/fhirtypes';
import { FHIR_ID } from '../fhir-id.js';
import { clinicIdentifierValue } from '../fhir/identifiers.js';
import { parseIdentifierValue } from '../identity/record-identity.js';
import { issue, outcome } from '../outcomes.js';
import { mapClinicEpisode } from '../pipeline/map-clinic-episode.js';
import { demoClinicId } from '../server/demo-clinic.js';
import { summaryDocumentReference, summaryReferences } from '../summary/document-reference.js';
import { episodeSummaryDocument } from '../summary/episode-document.js';
import type { EpisodeSummaryView } from '../summary/episode-view.js';
import { episodeSummaryPdf } from '../summary/pdf/episode-summary-pdf.js';
import { sessionSummaryPdf } from '../summary/pdf/session-summary-pdf.js';
import { episodeSummaryView } from '../summary/read-episode-view.js';
import { sessionView } from '../summary/read-session-view.js';
import { sessionSummaryDocument } from '../summary/session-document.js';
import type { SessionView } from '../summary/session-view.js';
import { mapFile } from './map.js';

const USAGE =
  'usage: kap-fhir summary FILE [--session ID | --episode] [--clinic ID] [--format pdf|fhir|docref] [--out PATH]\n' +
  '  (--out is required for pdf; --episode: the whole episode, pdf or fhir)\n';

/** The output formats. */
export type SummaryFormat = 'pdf' | 'fhir' | 'docref';

interface SummaryArgs {
  file: string;
  /** The whole episode's summary rather than one session's. */
  episode: boolean;
  sessionId?: string;
  clinicId?: string;
  format: SummaryFormat;
  out?: string;
}

/** A session of an episode file, ready to render. */
export interface EpisodeSession {
  clinicId: string;
  version: number;
  bundle: Bundle;
  maFullUrl: string;
  view: SessionView;
}

/** The parsed arguments, or undefined on a usage error. */
function parseArgs(args: string[]): SummaryArgs | undefined {
  const values: Record<string, string | undefined> = {};
  let file: string | undefined;
  let episode = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--episode') {
      if (episode) {
        return undefined;
      }
      episode = true;
      continue;
    }
    const flag = /^--(session|clinic|format|out)(?:=(.*))?$/.exec(arg);
    if (flag) {
      const name = flag[1] as string;
      const value = flag[2] ?? args[++i];
      if (value === undefined || value === '' || name in values) {
        return undefined;
      }
      values[name] = value;
    } else if (file === undefined && !arg.startsWith('--')) {
      file = arg;
    } else {
      return undefined;
    }
  }
  const format = (values.format ?? 'pdf') as SummaryFormat;
  if (file === undefined || !['pdf', 'fhir', 'docref'].includes(format)) {
    return undefined;
  }
  for (const id of [values.session, values.clinic]) {
    if (id !== undefined && !FHIR_ID.test(id)) {
      return undefined;
    }
  }
  if (format === 'pdf' && values.out === undefined) {
    return undefined;
  }
  if (episode && (values.session !== undefined || format === 'docref')) {
    return undefined;
  }
  return { file, episode, sessionId: values.session, clinicId: values.clinic, format, out: values.out };
}

/** When the dose started (for "the last session"). */
function doseTime(ma: MedicationAdministration): number {
  const t = Date.parse(ma.effectiveDateTime ?? ma.effectivePeriod?.start ?? '');
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * The fullUrl of a dosing session's MedicationAdministration: the one whose clinic identifier names `sessionId`, or
 * without one the last dose by time.
 * @param bundle - the mapped episode Bundle
 * @param clinicId - the clinic (identifier system)
 * @param sessionId - the dosing session's id in the episode
 */
export function dosingSessionUrl(bundle: Bundle, clinicId: string, sessionId?: string): string | undefined {
  const doses = (bundle.entry ?? []).filter(
    (e): e is typeof e & { resource: MedicationAdministration; fullUrl: string } =>
      e.resource?.resourceType === 'MedicationAdministration' && e.fullUrl !== undefined
  );
  if (sessionId !== undefined) {
    return doses.find((e) => {
      const value = clinicIdentifierValue(e.resource, clinicId);
      return value !== undefined && parseIdentifierValue(value).localId === sessionId;
    })?.fullUrl;
  }
  let last: (typeof doses)[number] | undefined;
  for (const e of doses) {
    if (!last || doseTime(e.resource) >= doseTime(last.resource)) {
      last = e;
    }
  }
  return last?.fullUrl;
}

/**
 * Reads, validates and maps an episode file, and reads the view of one of its dosing sessions.
 * @param path - the file
 * @param clinicId - the clinic (tenant)
 * @param sessionId - the dosing session (default: the last)
 */
export async function episodeSession(
  path: string,
  clinicId: string,
  sessionId?: string
): Promise<{ ok: true; session: EpisodeSession } | { ok: false; outcome: OperationOutcome }> {
  const mapped = await mapFile(path, clinicId, mapClinicEpisode);
  if (!mapped.ok) {
    return mapped;
  }
  const bundle = mapped.bundle;
  const maFullUrl = dosingSessionUrl(bundle, clinicId, sessionId);
  if (!maFullUrl) {
    const text = sessionId === undefined ? 'The episode has no dosing session' : 'The episode has no dosing session with that id';
    return { ok: false, outcome: outcome([issue('error', 'not-found', text, sessionId === undefined ? 'sessions' : '--session')]) };
  }
  const view = sessionView(bundle, maFullUrl);
  return { ok: true, session: { clinicId, version: mapped.version, bundle, maFullUrl, view } };
}

/**
 * Reads, validates and maps an episode file, and reads its summary view.
 * @param path - the file
 * @param clinicId - the clinic (tenant)
 */
export async function episodeSummary(
  path: string,
  clinicId: string
): Promise<{ ok: true; bundle: Bundle; version: number; view: EpisodeSummaryView } | { ok: false; outcome: OperationOutcome }> {
  const mapped = await mapFile(path, clinicId, mapClinicEpisode);
  if (!mapped.ok) {
    return mapped;
  }
  if (!dosingSessionUrl(mapped.bundle, clinicId)) {
    return { ok: false, outcome: outcome([issue('error', 'not-found', 'The episode has no dosing session', 'sessions')]) };
  }
  return { ok: true, bundle: mapped.bundle, version: mapped.version, view: episodeSummaryView(mapped.bundle, clinicId) };
}

/** The end of the episode's last session (else its first dose) as a FHIR instant: the episode document's timestamp. */
function episodeInstant(view: EpisodeSummaryView): string {
  return new Date(Date.parse(view.period?.end ?? view.period?.start ?? '') || 0).toISOString();
}

/** Writes JSON to `--out`, else stdout. */
async function writeJson(resource: unknown, out: string | undefined): Promise<void> {
  const json = `${JSON.stringify(resource, null, 2)}\n`;
  if (out !== undefined) {
    await writeFile(out, json);
  } else {
    process.stdout.write(json);
  }
}

/** `summary FILE --episode`: the episode's PDF or document Bundle. */
async function episodeCommand(parsed: SummaryArgs): Promise<number> {
  const result = await episodeSummary(parsed.file, parsed.clinicId ?? demoClinicId());
  if (!result.ok) {
    process.stdout.write(`${JSON.stringify(result.outcome, null, 2)}\n`);
    return 1;
  }
  if (parsed.format === 'pdf') {
    await writeFile(parsed.out as string, await episodeSummaryPdf(result.view));
    process.stderr.write('episode summary PDF written\n');
    return 0;
  }
  await writeJson(episodeSummaryDocument(result.view, result.bundle, { timestamp: episodeInstant(result.view), version: result.version }), parsed.out);
  return 0;
}

/** The session's end (else start) as a FHIR instant: the document's timestamp. */
function sessionInstant(view: SessionView): string {
  return new Date(Date.parse(view.session.end ?? view.session.start ?? view.dose.start)).toISOString();
}

/**
 * The `summary` sub-command.
 * @param args - `FILE [--session ID | --episode] [--clinic ID] [--format pdf|fhir|docref] [--out PATH]`
 * @returns 0 on success; 1 with an OperationOutcome on stdout; 2 on a usage error
 */
export async function summaryCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (parsed.episode) {
    return episodeCommand(parsed);
  }
  const result = await episodeSession(parsed.file, parsed.clinicId ?? demoClinicId(), parsed.sessionId);
  if (!result.ok) {
    process.stdout.write(`${JSON.stringify(result.outcome, null, 2)}\n`);
    return 1;
  }
  const { view, bundle, maFullUrl, clinicId, version } = result.session;
  if (parsed.format === 'pdf') {
    await writeFile(parsed.out as string, await sessionSummaryPdf(view));
    process.stderr.write('summary PDF written\n');
    return 0;
  }
  const resource =
    parsed.format === 'fhir'
      ? sessionSummaryDocument(view, bundle, maFullUrl, { timestamp: sessionInstant(view), version })
      : summaryDocumentReference(view, await sessionSummaryPdf(view), { clinicId, ...summaryReferences(bundle, maFullUrl) });
  await writeJson(resource, parsed.out);
  return 0;
}
