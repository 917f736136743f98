/**
 * The episode summary as a PDF (issue 14, made on request), in the session summary's form (A5, standard Helvetica,
 * for a phone): the first page answers "where is this treatment": patient, the episode's span and number of dosing
 * sessions, the prescriptions, the latest plan / next-dose recommendation and every safety signal with its state
 * (urgent first). Then the table of every dosing session (date, product / route / form, dose in mg and mg/kg,
 * status, lowest SpO2 from the dose on, highest blood pressure, signals), the C-SSRS results, the score trajectories
 * (the charts and tables of the session summary: bands, baseline, response / remission, responses not scored) and the
 * care team.
 *
 * Rendered from the EpisodeSummaryView alone (the mapped FHIR resources). The same view gives the same bytes: the
 * PDF's dates are the episode's (the end of its last session), and the metadata hold no name.
 */
import { clockTime, dayNumber, shortDate } from '../charts/chart-time.js';
import { EPISODE_SUMMARY_TITLE } from '../episode-document.js';
import type { EpisodeDoseRow, EpisodeSummaryView } from '../episode-view.js';
import { renderCache } from '../render-cache.js';
import { dateTime, footers, patientHeader, planBlock, renderSummaryPdf, scoresBlock, signalsBySeverity, suicideRiskBlock } from './pdf-blocks.js';
import { band, COLOR, field, heading, paragraph, table, type Doc } from './pdf-layout.js';

/** The episode PDFs rendered lately, by their view (src/summary/render-cache.ts). */
const PDFS = renderCache<Buffer>(32);

/** The date the PDF carries: the end of the episode's last session (else its first dose). */
function documentDate(view: EpisodeSummaryView): Date {
  const at = [view.period?.end, view.period?.start].find((t) => t && !Number.isNaN(Date.parse(t)));
  return new Date(at ? Date.parse(at) : 0);
}

/** "10 Aug 2026" of a written dateTime. */
const day = (time: string | undefined): string => (time ? shortDate(dayNumber(time)) : '');

/**
 * The dose of a row: "56 mg (0.5 mg/kg)", the mg/kg alone, or "-".
 * @param d - the dose
 */
export function rowDoseText(d: EpisodeDoseRow['dose']): string {
  const mg = d.mg !== undefined ? `${d.mg} mg` : '';
  const perKg = d.mgPerKg !== undefined ? `${d.mgPerKg} mg/kg` : '';
  return mg && perKg ? `${mg} (${perKg})` : mg || perKg || '-';
}

const STATUS_WORD: Record<EpisodeDoseRow['dose']['status'], string> = { given: 'GIVEN', held: 'HELD', partial: 'PARTIAL', refused: 'REFUSED' };

/**
 * A row's status: "GIVEN", "HELD: Blood pressure high" …
 * @param d - the dose
 */
export function rowStatusText(d: EpisodeDoseRow['dose']): string {
  return `${STATUS_WORD[d.status]}${d.status !== 'given' && d.statusReason ? `: ${d.statusReason}` : ''}`;
}

function header(doc: Doc, view: EpisodeSummaryView): void {
  patientHeader(doc, EPISODE_SUMMARY_TITLE, view.clinic.name, view.patient);
  const n = view.sessions.length;
  const given = view.sessions.filter((s) => s.dose.status === 'given' || s.dose.status === 'partial').length;
  const span = view.period ? `, ${day(view.period.start)}${view.period.end && day(view.period.end) !== day(view.period.start) ? ` - ${day(view.period.end)}` : ''}` : '';
  paragraph(doc, `Episode ${view.episodeId}: ${n} dosing session${n === 1 ? '' : 's'} (${given} given)${span}`, { size: 12, bold: true });
  doc.moveDown(0.4);
}

function prescriptionsBlock(doc: Doc, view: EpisodeSummaryView): void {
  if (view.prescriptions.length === 0) {
    field(doc, 'Prescribed', 'no prescription recorded in the episode');
    return;
  }
  for (const rx of view.prescriptions) {
    const parts = [
      rx.dose,
      rx.prescriber && `by ${rx.prescriber}`,
      rx.sessions !== undefined && `${rx.sessions} sessions`,
      rx.validity && `valid ${rx.validity.start ?? '...'} to ${rx.validity.end ?? '...'}`,
    ].filter(Boolean);
    field(doc, `Prescription ${rx.id}`, parts.join(', ') || '-');
    if (rx.sig) {
      paragraph(doc, rx.sig, { size: 9, color: COLOR.muted });
    }
  }
}


const STATE: Record<string, string> = { final: 'raised', preliminary: 'preliminary', mitigated: 'mitigated', 'entered-in-error': 'entered in error' };

function signalsBlock(doc: Doc, view: EpisodeSummaryView): void {
  const signals = signalsBySeverity(view.signals);
  heading(doc, signals.length === 0 ? 'Safety signals' : `Safety signals of the episode (${signals.length})`);
  if (signals.length === 0) {
    paragraph(doc, 'No safety signal in this episode.');
    return;
  }
  const when = new Map(view.sessions.map((s) => [s.sessionId, s.dose.start]));
  for (const s of signals) {
    const at = s.sessionId ? when.get(s.sessionId) : undefined;
    const about = s.sessionId ? `session ${s.sessionId}${at ? ` (${day(at)})` : ''}` : 'the episode';
    const state = [STATE[s.status ?? 'final'] ?? s.status, s.notified ? 'prescriber notified' : ''].filter(Boolean).join(', ');
    band(doc, COLOR[s.severity], `${s.severity.toUpperCase()}: ${s.display}`, `${s.detail} (${state}; about ${about})`, 10.5);
  }
}

function sessionsBlock(doc: Doc, view: EpisodeSummaryView): void {
  heading(doc, `Dosing sessions (${view.sessions.length})`, 80);
  table(
    doc,
    ['Date', 'Product, route, form', 'Dose', 'Status', 'SpO2 low %', 'BP high', 'Sig-nals'],
    view.sessions.map((s) => [
      `${day(s.dose.start)} ${clockTime(s.dose.start)}`,
      [s.dose.product, s.dose.route.toLowerCase(), s.dose.form?.toLowerCase()].filter(Boolean).join(', '),
      rowDoseText(s.dose),
      rowStatusText(s.dose),
      s.lowestSpo2 !== undefined ? String(s.lowestSpo2) : '-',
      s.highestBp ? `${s.highestBp.systolic}/${s.highestBp.diastolic}` : '-',
      String(s.signals),
    ]),
    { size: 8, weights: [1.15, 1.9, 1.15, 1.2, 0.75, 0.85, 0.6] }
  );
  paragraph(doc, 'SpO2 low: the lowest reading from the dose on. BP high: the highest reading of the session. Signals: about the session.', {
    size: 8,
    color: COLOR.muted,
  });
}

function careTeamBlock(doc: Doc, view: EpisodeSummaryView): void {
  heading(doc, 'Care team');
  const c = view.careTeam;
  field(doc, 'Administered or supervised by', c.administeredBy.length ? c.administeredBy.join(', ') : 'not recorded');
  field(doc, 'Monitored by', c.monitoredBy.length ? c.monitoredBy.join(', ') : 'not recorded');
  if (c.prescribers.length > 0) {
    field(doc, c.prescribers.length === 1 ? 'Prescriber' : 'Prescribers', c.prescribers.join(', '));
  }
  field(doc, 'Clinic', view.clinic.name);
}

/**
 * The episode summary PDF. The same view gives the same bytes, so a view rendered lately in this process is not
 * rendered again.
 * @param view - the episode's view (`episodeSummaryView(bundle, clinicId)`)
 * @returns the PDF bytes (the caller's own copy)
 */
export function episodeSummaryPdf(view: EpisodeSummaryView): Promise<Buffer> {
  return PDFS.bytes(view, renderPdf);
}

/** Renders the episode summary PDF of a view (pdfkit). */
function renderPdf(view: EpisodeSummaryView): Promise<Buffer> {
  const meta = { title: `${EPISODE_SUMMARY_TITLE} ${(view.period?.start ?? '').slice(0, 10)}`.trim(), subject: 'KAP treatment episode summary', date: documentDate(view) };
  return renderSummaryPdf(meta, (doc) => {
    header(doc, view);
    prescriptionsBlock(doc, view);
    planBlock(doc, 'Latest plan', view.plan, 'No plan recorded in the episode.', view.plan ? [`session ${view.plan.sessionId}`] : []);
    signalsBlock(doc, view);
    doc.addPage();
    sessionsBlock(doc, view);
    suicideRiskBlock(doc, view.suicideRisk, 'No C-SSRS screener recorded in the episode.');
    scoresBlock(doc, view.scores);
    careTeamBlock(doc, view);
    footers(doc, `${EPISODE_SUMMARY_TITLE} - episode ${view.episodeId} - from the FHIR record`);
  });
}
