/**
 * The blocks the summary PDFs share (the session summary, src/summary/pdf/session-summary-pdf.ts, and the episode
 * summary, src/summary/pdf/episode-summary-pdf.ts): a chart with its text alternative and table, the score
 * trajectories (a line per instrument, its chart and table), signals in severity order, page footers, and the
 * pdfkit document itself (A5, standard fonts, the record's date as its dates, no name in its metadata).
 */
import PDFDocument from 'pdfkit';
import { clockTime, dayNumber, shortDate } from '../charts/chart-time.js';
import type { SummaryChart } from '../charts/chart.js';
import { SCORE_CHART_SIZE, scoreTrajectoryChart } from '../charts/score-trajectory-chart.js';
import type { ScoreTrajectory, SessionView, SignalLine, SuicideRiskResult } from '../session-view.js';
import { CSSRS_VERSION_TEXT, SUICIDE_RISK_TITLE } from '../suicide-risk-text.js';
import { drawSvg } from './draw-svg.js';
import { COLOR, contentWidth, ensureSpace, field, heading, paragraph, pdfText, table, type Doc } from './pdf-layout.js';

/** The summaries' page: A5 portrait (points). */
export const PAGE = { size: 'A5', margin: 30 } as const;

const SEVERITY_ORDER: Record<SignalLine['severity'], number> = { urgent: 0, attention: 1, information: 2 };

/**
 * Signals urgent first, then attention, then information (stable within a severity).
 * @param signals - the signals
 */
export function signalsBySeverity<S extends SignalLine>(signals: readonly S[]): S[] {
  return [...signals].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** "10 Aug 2026 09:10" of a written dateTime. */
export function dateTime(time: string): string {
  const clock = clockTime(time);
  return `${shortDate(dayNumber(time))}${clock ? ` ${clock}` : ''}`;
}

/**
 * A chart at the full width, its text alternative under it, then its table.
 * @param doc - the document
 * @param chart - the chart (SVG, alt, table)
 * @param size - the chart's drawing size (its aspect ratio is kept)
 * @param weights - the table's column weights
 */
export function chartBlock(doc: Doc, chart: SummaryChart, size: { width: number; height: number }, weights?: number[]): void {
  const width = contentWidth(doc);
  const height = (width * size.height) / size.width;
  ensureSpace(doc, height + 40);
  const top = doc.y;
  drawSvg(doc, chart.svg, doc.page.margins.left, top, width, height);
  doc.y = top + height + 2;
  paragraph(doc, chart.alt, { size: 8.5, color: COLOR.muted });
  doc.moveDown(0.3);
  if (chart.table.rows.length > 0) {
    table(doc, chart.table.head, chart.table.rows, { size: 8.5, weights });
  }
}

/** "Baseline 14 (3 Aug 2026); latest 4 (24 Aug 2026): 71 % better than baseline, REMISSION." */
export function trajectoryLine(t: ScoreTrajectory): string {
  const points = [...t.points].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const baseline = points.find((p) => p.baseline);
  const last = points.at(-1);
  const parts = [baseline ? `Baseline ${baseline.total} (${shortDate(dayNumber(baseline.time))})` : 'No baseline'];
  if (last && last !== baseline) {
    const flags = [
      last.percentChange !== undefined && `${Math.round(Math.abs(last.percentChange))} % ${last.percentChange >= 0 ? 'better' : 'worse'} than baseline`,
      last.remission ? 'REMISSION' : last.response ? 'RESPONSE' : last.response === false ? 'no response yet' : '',
    ].filter(Boolean);
    parts.push(`latest ${last.total} (${shortDate(dayNumber(last.time))})${flags.length ? `: ${flags.join(', ')}` : ''}`);
  }
  return `${parts.join('; ')}.`;
}

/**
 * "Scores over the episode": per instrument its line, its chart (bands, baseline) and its table.
 * @param doc - the document
 * @param scores - the trajectories
 */
export function scoresBlock(doc: Doc, scores: readonly ScoreTrajectory[]): void {
  heading(doc, 'Scores over the episode', 200);
  if (scores.length === 0) {
    paragraph(doc, 'No PHQ-9, GAD-7 or PCL-5 score recorded in the episode.');
    return;
  }
  for (const t of scores) {
    ensureSpace(doc, t.points.length > 0 ? 220 : 80);
    paragraph(doc, `${t.title} (0-${t.max})`, { size: 11.5, bold: true });
    paragraph(doc, trajectoryLine(t), { size: 10 });
    doc.moveDown(0.2);
    const chart = scoreTrajectoryChart(t);
    // the episode summary marks no session: its tables leave the "This session" column out
    const marked = t.points.some((p) => p.thisSession) || (t.unscored ?? []).some((u) => u.thisSession);
    const drop = marked ? -1 : chart.table.head.indexOf('This session');
    const weights = [1.4, 0.9, 1.2, 1, 1, 0.8];
    const keep = <T>(xs: T[]): T[] => (drop < 0 ? xs : xs.filter((_, i) => i !== drop));
    const tableOnly = { head: keep(chart.table.head), rows: chart.table.rows.map(keep) };
    if (t.points.length === 0) {
      // no total to draw (every response unscored): the table alone
      table(doc, tableOnly.head, tableOnly.rows, { size: 8.5, weights: keep(weights) });
    } else {
      chartBlock(doc, { ...chart, table: tableOnly }, SCORE_CHART_SIZE, keep(weights));
    }
  }
}

/**
 * "Suicide risk screening (C-SSRS)": each result in time order (date, version, risk level, "answers contradict each
 * other" when flagged), or a line saying there is none.
 * @param doc - the document
 * @param results - the results
 * @param none - the line when there is no result
 */
export function suicideRiskBlock(doc: Doc, results: readonly SuicideRiskResult[], none = 'No C-SSRS screener recorded.'): void {
  heading(doc, SUICIDE_RISK_TITLE, 60);
  if (results.length === 0) {
    paragraph(doc, none);
    return;
  }
  const marked = results.some((r) => r.thisSession);
  const head = ['Date', 'Version', 'Risk', 'Note'];
  const rows = results.map((r) => [
    dateTime(r.time),
    CSSRS_VERSION_TEXT[r.version],
    r.risk === 'high' ? r.riskDisplay.toUpperCase() : r.riskDisplay,
    [r.inconsistent ? 'answers contradict each other' : '', marked && r.thisSession ? 'this session' : ''].filter(Boolean).join('; ') || '-',
  ]);
  table(doc, head, rows, { size: 9, weights: [1.3, 1.4, 0.8, 1.5] });
}

/**
 * Page footers: the text and "page n of m", on every page.
 * @param doc - the document (pages buffered)
 * @param text - what names the document (ids, never a name)
 */
/**
 * The plan block: the recommendation, the next dose, the note, and a byline (author, time, and `more`).
 * @param title - the heading
 * @param plan - the plan, if one was recorded
 * @param none - the line when none was
 * @param more - what else the byline says (e.g. the session)
 */
export function planBlock(doc: Doc, title: string, plan: SessionView['plan'], none: string, more: string[] = []): void {
  heading(doc, title);
  if (!plan) {
    paragraph(doc, none);
    return;
  }
  paragraph(doc, plan.recommendation, { size: 12, bold: true });
  if (plan.nextDose) {
    field(doc, 'Next dose', plan.nextDose);
  }
  if (plan.note) {
    paragraph(doc, plan.note);
  }
  paragraph(doc, [plan.author, dateTime(plan.time), ...more].filter(Boolean).join(', '), { size: 9, color: COLOR.muted });
}

/**
 * The top of a summary: the clinic and the document's title, the patient's name, birth date and gender.
 * @param title - the document's title
 * @param clinic - the clinic's name
 * @param patient - the patient as the view has them
 */
export function patientHeader(doc: Doc, title: string, clinic: string, patient: SessionView['patient']): void {
  paragraph(doc, `${clinic} - ${title}`, { size: 9, color: COLOR.muted });
  doc.moveDown(0.2);
  paragraph(doc, patient.name || 'Patient', { size: 18, bold: true });
  const gender = patient.gender === 'unknown' ? 'gender unknown' : patient.gender;
  const who = [patient.birthDate && `born ${patient.birthDate}`, gender].filter(Boolean).join(', ');
  if (who) {
    paragraph(doc, who, { size: 10, color: COLOR.muted });
  }
  doc.moveDown(0.3);
}

export function footers(doc: Doc, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(COLOR.muted)
      .text(pdfText(`${text} - page ${i + 1} of ${range.count}`), doc.page.margins.left, doc.page.height - 20, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * Renders a summary PDF: an A5 pdfkit document with its pages buffered (for the footers), drawn by `draw`.
 * @param meta - the metadata: title and subject (no name) and the record's date (CreationDate and ModDate, so the
 *   same input gives the same bytes)
 * @param draw - draws the content (footers included)
 * @returns the PDF bytes
 */
export function renderSummaryPdf(meta: { title: string; subject: string; date: Date }, draw: (doc: Doc) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margin: PAGE.margin,
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Creator: 'kap-fhir',
      Producer: 'kap-fhir (PDFKit)',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw(doc);
    doc.end();
  } catch (err) {
    doc.end();
    return done.then(() => Promise.reject(err));
  }
  return done;
}
