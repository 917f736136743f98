/**
 * The building blocks of the summary documents (issue 14, R4 documents.html) shared by the session summary
 * (src/summary/session-document.ts) and the episode summary (src/summary/episode-document.ts): a section from its
 * code, title, narrative blocks and entries (`nilknown` when it cites nothing), the score trajectories' narrative,
 * the text forms of the record's times, and the `document` Bundle around a Composition (the Composition first, then
 * every resource it references and everything those reference, with the episode Bundle's `urn:uuid` fullUrls; no
 * `request`, no Provenance).
 */
import type { Bundle, BundleEntry, Composition, CompositionSection, Identifier } from '@medplum/fhirtypes';
import { fullUrlFor } from '../fhir/identifiers.js';
import { reachableEntries } from '../sync/entry-references.js';
import { kapCodeSystem } from '../terminology/systems.js';
import { CSSRS_VERSION_TEXT, SUICIDE_RISK_TITLE } from './suicide-risk-text.js';
import type { ScoreTrajectory, SuicideRiskResult } from './session-view.js';
import { unscoredText } from './unscored-text.js';
import { b, narrativeDiv, p, table, type Markup } from './xhtml.js';

/** The section codes (LOCAL `kap-summary-section`, profiles/ KapSummarySectionCS). */
export const KAP_SUMMARY_SECTION = kapCodeSystem('kap-summary-section');

const LIST_EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';

/** A section: code, title, narrative blocks, the refs (fullUrls) it cites. */
export interface SectionSpec {
  code: string;
  title: string;
  blocks: Markup[];
  entries: string[];
}

/**
 * A Composition section: a generated XHTML narrative ("None recorded." without blocks) and its entries, or
 * `emptyReason` nilknown when it cites nothing.
 * @param s - the section
 */
export function toSection(s: SectionSpec): CompositionSection {
  return {
    title: s.title,
    code: { coding: [{ system: KAP_SUMMARY_SECTION, code: s.code, display: s.title }] },
    text: { status: 'generated', div: narrativeDiv(s.blocks.length > 0 ? s.blocks : [p('None recorded.')]) },
    ...(s.entries.length > 0
      ? { entry: [...new Set(s.entries)].map((reference) => ({ reference })) }
      : { emptyReason: { coding: [{ system: LIST_EMPTY_REASON, code: 'nilknown', display: 'Nil Known' }] } }),
  };
}

/** The values of a list without the absent ones (undefined, false). */
export const compact = <T>(xs: (T | undefined | false)[]): T[] => xs.filter((x): x is T => x !== undefined && x !== false);

/** "2026-08-10" of a dateTime as written. */
export function datePart(t: string | undefined): string {
  return (t ?? '').slice(0, 10);
}

/** "2026-08-10 09:10" of a dateTime as written (the clinic's local time). */
export function dateTimeText(t: string | undefined): string {
  if (!t) {
    return '';
  }
  return t.length > 10 ? `${t.slice(0, 10)} ${t.slice(11, 16)}` : t;
}

/** "09:10" of a dateTime as written. */
export function timeText(t: string | undefined): string {
  return t && t.length > 10 ? t.slice(11, 16) : (t ?? '');
}

/** "Baseline 14 (2026-08-03). Latest 6 (2026-09-01): 57.1 % better than baseline, response, no remission." */
export function trajectoryStatement(t: ScoreTrajectory): string {
  const baseline = t.points.find((x) => x.baseline);
  const latest = t.points.at(-1);
  const parts = [baseline ? `Baseline ${baseline.total} (${datePart(baseline.time)}).` : 'No baseline.'];
  if (latest && latest !== baseline) {
    const flags = compact([
      latest.percentChange !== undefined && `${Math.abs(latest.percentChange)} % ${latest.percentChange >= 0 ? 'better' : 'worse'} than baseline`,
      latest.response !== undefined && (latest.response ? 'response' : 'no response'),
      latest.remission !== undefined && (latest.remission ? 'remission' : 'no remission'),
    ]);
    parts.push(`Latest ${latest.total} (${datePart(latest.time)})${flags.length ? `: ${flags.join(', ')}` : ''}.`);
  }
  return parts.join(' ');
}

/**
 * The scores narrative: per instrument its trajectory statement and a table Date · Total · Band · Change · Response ·
 * Remission · Note (baseline, this session).
 * @param scores - the trajectories
 */
export function scoreBlocks(scores: readonly ScoreTrajectory[]): Markup[] {
  return scores.flatMap((t) => {
    const rows = [
      ...t.points.map((x) => ({
        time: x.time,
        cells: [
          datePart(x.time),
          String(x.total),
          x.band ?? '',
          x.percentChange !== undefined ? `${x.percentChange} %` : '',
          x.response === undefined ? '' : x.response ? 'yes' : 'no',
          x.remission === undefined ? '' : x.remission ? 'yes' : 'no',
          compact([x.baseline && 'baseline', x.thisSession && 'this session']).join(', '),
        ],
      })),
      ...(t.unscored ?? []).map((u) => ({
        time: u.time,
        cells: [datePart(u.time), unscoredText(u), '', '', '', '', u.thisSession ? 'this session' : ''],
      })),
    ].sort((a, b) => (Date.parse(a.time) || 0) - (Date.parse(b.time) || 0));
    return [
      p(b(`${t.title} (0–${t.max}): `), trajectoryStatement(t)),
      table(
        `${t.title} over the episode`,
        ['Date', 'Total', 'Band', 'Change', 'Response', 'Remission', 'Note'],
        rows.map((r) => r.cells)
      ),
    ];
  });
}

/**
 * The C-SSRS narrative: a table Date · Version · Risk · Note (answers contradict each other, this session), or
 * "No C-SSRS screener recorded."
 * @param results - the results, in time order
 */
export function suicideRiskBlocks(results: readonly SuicideRiskResult[]): Markup[] {
  if (results.length === 0) {
    return [p(b(`${SUICIDE_RISK_TITLE}: `), 'No C-SSRS screener recorded.')];
  }
  return [
    p(b(`${SUICIDE_RISK_TITLE}: `), `${results.length} result${results.length === 1 ? '' : 's'}.`),
    table(
      SUICIDE_RISK_TITLE,
      ['Date', 'Version', 'Risk', 'Note'],
      results.map((r) => [
        dateTimeText(r.time),
        CSSRS_VERSION_TEXT[r.version],
        r.riskDisplay,
        compact([r.inconsistent && 'answers contradict each other', r.thisSession && 'this session']).join(', '),
      ])
    ),
  ];
}

/** Every literal / `urn:uuid` reference a Composition makes (subject, encounter, authors, custodian, events, sections). */
function referencedUrls(c: Composition): string[] {
  const refs = [
    c.subject,
    c.encounter,
    ...(c.author ?? []),
    c.custodian,
    ...(c.event ?? []).flatMap((e) => e.detail ?? []),
    ...(c.section ?? []).flatMap((s) => s.entry ?? []),
  ];
  return refs.map((r) => r?.reference).filter((r): r is string => r !== undefined);
}

/**
 * The `document` Bundle of a Composition: the Composition first (its fullUrl derived from its identifier), then
 * every resource of the episode Bundle it reaches by references, with their fullUrls; no Provenance, no `request`.
 * @param composition - the Composition (with its business identifier)
 * @param bundle - the episode Bundle
 * @param identifier - the Bundle's identifier
 * @param timestamp - Bundle.timestamp (FHIR instant)
 */
export function documentBundle(composition: Composition & { identifier: Identifier }, bundle: Bundle, identifier: Identifier, timestamp: string): Bundle {
  const compositionUrl = fullUrlFor('Composition', composition.identifier.system ?? '', composition.identifier.value ?? '');
  const source = (bundle.entry ?? []).filter((e) => e.resource?.resourceType !== 'Provenance');
  const included: BundleEntry[] = reachableEntries(source, referencedUrls(composition)).map((e) => ({ fullUrl: e.fullUrl, resource: e.resource }));
  return { resourceType: 'Bundle', identifier, type: 'document', timestamp, entry: [{ fullUrl: compositionUrl, resource: composition }, ...included] };
}
