/**
 * The session summary as a PDF (issue 14), for a prescriber reading it on a phone between patients: an A5 page
 * (about 1.4 times the type size of a Letter page once fitted to a phone's width), standard Helvetica (no font
 * file). The first page answers "what happened and what do I need to do": patient, date, what was given (product,
 * route, form, dose in mg and mg/kg) or held and why, the safety signals (urgent first, in red), the plan. Then the
 * vitals chart around the dose with its table, dissociation / sedation / side effects, medications and screening at
 * the session, the C-SSRS results up to this session, the score trajectories with their tables (baseline, response /
 * remission, responses that could not be scored) and the care team.
 *
 * Rendered from the SessionView alone (the mapped FHIR resources). The same view gives the same bytes: the PDF's
 * dates are the session's, never the time of rendering, and the metadata hold no name (only the document title and
 * the date).
 */
import type { SessionView } from '../session-view.js';
import { VITALS_CHART_SIZE, vitalsChart } from '../charts/vitals-chart.js';
import { clockTime, dayNumber, shortDate } from '../charts/chart-time.js';
import { renderCache } from '../render-cache.js';
import { chartBlock, footers, patientHeader, planBlock, renderSummaryPdf, scoresBlock, signalsBySeverity, suicideRiskBlock } from './pdf-blocks.js';
import { band, COLOR, field, heading, paragraph, table, type Doc } from './pdf-layout.js';

export { signalsBySeverity, trajectoryLine } from './pdf-blocks.js';

/** The document title (metadata and first line). */
export const SUMMARY_TITLE = 'Ketamine dosing session summary';

/** The PDFs rendered lately, by their view (src/summary/render-cache.ts; about 18 KiB each). */
const PDFS = renderCache<Buffer>(128);

/**
 * The dose amount: "56 mg (0.7 mg/kg, body weight 80 kg)", or the mg/kg alone when no mg was recorded.
 * @param d - the view's dose
 */
export function doseText(d: SessionView['dose']): string {
  const mg = d.mg !== undefined ? `${d.mg} mg` : '';
  const perKg =
    d.mgPerKg !== undefined ? `${d.mgPerKg} mg/kg${d.bodyWeightKg !== undefined ? `, body weight ${d.bodyWeightKg} kg` : ''}` : '';
  const text = mg && perKg ? `${mg} (${perKg})` : mg || perKg || 'not recorded';
  return d.deviceCount !== undefined ? `${text}, ${d.deviceCount} device${d.deviceCount > 1 ? 's' : ''}` : text;
}

/** The date the PDF carries: the session's end (else its start, else the dose). */
function documentDate(view: SessionView): Date {
  const at = [view.session.end, view.session.start, view.dose.start].find((t) => t && !Number.isNaN(Date.parse(t)));
  return new Date(at ? Date.parse(at) : 0);
}

function header(doc: Doc, view: SessionView): void {
  const d = view.dose;
  patientHeader(doc, SUMMARY_TITLE, view.clinic.name, view.patient);
  const times = [
    `Session ${shortDate(dayNumber(d.start))}`,
    `dose ${clockTime(d.start)}${d.end && d.end !== d.start ? `-${clockTime(d.end)}` : ''}`,
    view.session.dischargedAt ? `left ${clockTime(view.session.dischargedAt)}` : '',
  ].filter(Boolean);
  paragraph(doc, times.join(' - '), { size: 12, bold: true });
  doc.moveDown(0.4);
}

function doseBlock(doc: Doc, view: SessionView): void {
  const d = view.dose;
  if (d.status === 'given') {
    band(doc, COLOR.given, `GIVEN: ${doseText(d)}`, `${d.product}, ${d.route.toLowerCase()}`, 13);
  } else {
    const word = d.status === 'partial' ? 'PARTIAL DOSE' : d.status === 'refused' ? 'REFUSED - NOT GIVEN' : 'HELD - NOT GIVEN';
    band(doc, COLOR.notGiven, `${word}${d.statusReason ? `: ${d.statusReason}` : ''}`, `Planned: ${doseText(d)} ${d.product}, ${d.route.toLowerCase()}`, 13);
  }
  field(doc, 'Product', d.product);
  field(doc, 'Route', d.route);
  if (d.form) {
    field(doc, 'Form', d.form);
  }
  if (d.strength) {
    field(doc, 'Strength', d.strength);
  }
  field(doc, d.status === 'given' ? 'Dose' : 'Planned dose', doseText(d));
  if (d.lot) {
    field(doc, 'Lot', d.lot);
  }
  if (d.selfAdministered) {
    field(doc, 'Administration', 'self-administered under supervision');
  }
  const rx = view.prescription;
  if (rx) {
    field(doc, 'Prescribed', [rx.dose, rx.prescriber && `by ${rx.prescriber}`].filter(Boolean).join(' ') || rx.id);
    if (rx.sig) {
      paragraph(doc, rx.sig, { size: 9, color: COLOR.muted });
    }
  } else {
    field(doc, 'Prescribed', 'no prescription recorded for this dose');
  }
}

function signalsBlock(doc: Doc, view: SessionView): void {
  const signals = signalsBySeverity(view.signals);
  heading(doc, signals.length === 0 ? 'Safety signals' : `Safety signals (${signals.length})`);
  if (signals.length === 0) {
    paragraph(doc, 'No safety signal for this session.');
    return;
  }
  for (const s of signals) {
    band(doc, COLOR[s.severity], `${s.severity.toUpperCase()}: ${s.display}`, s.detail);
  }
}


function vitalsBlock(doc: Doc, view: SessionView): void {
  heading(doc, 'Vital signs around the dose', 200);
  const chart = vitalsChart(view);
  chartBlock(doc, chart, VITALS_CHART_SIZE, [1.1, 0.9, 1, 1.5, 1, 1, 1, 1]);
  const t = view.thresholds;
  paragraph(
    doc,
    `Clinic thresholds: BP ${t.systolic}/${t.diastolic} (severe above ${t.severeSystolic}/${t.severeDiastolic}), ` +
      `HR ${t.heartRate[0]}-${t.heartRate[1]} /min, RR ${t.respiratoryRate[0]}-${t.respiratoryRate[1]} /min, SpO2 below ${t.spo2Below} %.`,
    { size: 8.5, color: COLOR.muted }
  );
}

function monitoringBlock(doc: Doc, view: SessionView): void {
  heading(doc, 'Dissociation, sedation, side effects');
  field(doc, 'Dissociation (CADSS-6)', view.dissociation ? `${view.dissociation.score}${view.dissociation.time ? ` at ${clockTime(view.dissociation.time)}` : ''}` : 'not recorded');
  const sedation = view.vitals.filter((v) => v.kind === 'sedation');
  field(doc, 'Sedation (MOAA/S)', sedation.length ? sedation.map((s) => `${s.value} at ${clockTime(s.time)}`).join(', ') : 'not recorded');
  field(
    doc,
    'Respiratory depression',
    view.respiratoryDepression ? `${view.respiratoryDepression.observed ? 'OBSERVED' : 'not observed'} (${clockTime(view.respiratoryDepression.time)})` : 'not recorded'
  );
  if (view.discharge) {
    field(
      doc,
      'Discharge',
      `criteria ${view.discharge.criteriaMet ? 'met' : 'NOT met'}, ready ${clockTime(view.discharge.readyAt)}, ${view.discharge.transport.toLowerCase()}`
    );
  }
  doc.moveDown(0.3);
  if (view.sideEffects.length === 0) {
    paragraph(doc, 'No side effect or adverse event recorded.');
  } else {
    table(
      doc,
      ['Side effect', 'Severity', 'Serious', 'Outcome', 'Onset'],
      view.sideEffects.map((s) => [
        s.effect,
        s.severity.toLowerCase() || '-',
        s.serious === undefined ? '-' : s.serious ? 'SERIOUS' : 'no',
        s.outcome?.toLowerCase() ?? '-',
        s.onset ? clockTime(s.onset) : '-',
      ]),
      { size: 9, weights: [1.6, 1, 0.9, 1.1, 0.8] }
    );
  }
  const m = view.medications;
  field(
    doc,
    'Medications at the session',
    !m ? 'no review recorded' : m.none ? `none (reviewed ${clockTime(m.reviewedAt)})` : m.items.map((i) => (i.name ? `${i.name} (${i.class.toLowerCase()})` : i.class)).join(', ')
  );
  field(doc, 'Screening at the session', screeningText(view.screening));
}

/**
 * The session's contraindication and precaution screening as one line: "Pregnancy PRESENT, …", "none known", or
 * "not recorded".
 * @param s - the view's screening
 */
export function screeningText(s: SessionView['screening']): string {
  if (!s) {
    return 'not recorded';
  }
  const word = { present: 'PRESENT', absent: 'absent', unknown: 'unknown' } as const;
  const findings = s.findings.map((f) => `${f.item} ${word[f.result]}`);
  return findings.length > 0 ? findings.join(', ') : s.noneKnown ? 'none known' : 'not recorded';
}

function careTeamBlock(doc: Doc, view: SessionView): void {
  heading(doc, 'Care team');
  const c = view.careTeam;
  if (c.administeredBy) {
    field(doc, view.dose.selfAdministered ? 'Supervised by' : 'Administered by', c.administeredBy);
  }
  field(doc, 'Monitored by', c.monitoredBy.length ? c.monitoredBy.join(', ') : 'not recorded');
  if (c.prescriber) {
    field(doc, 'Prescriber', c.prescriber);
  }
  field(doc, 'Clinic', view.clinic.name);
}

/**
 * The session summary PDF of one dosing session. The same view gives the same bytes, so a view rendered lately in
 * this process is not rendered again (a new version of an episode carries its unchanged sessions' summaries again).
 * @param view - the session's view (`sessionView(bundle, maFullUrl)`)
 * @returns the PDF bytes (the caller's own copy)
 */
export function sessionSummaryPdf(view: SessionView): Promise<Buffer> {
  return PDFS.bytes(view, renderPdf);
}

/** Renders the PDF of a view (pdfkit). */
function renderPdf(view: SessionView): Promise<Buffer> {
  const meta = { title: `${SUMMARY_TITLE} ${view.dose.start.slice(0, 10)}`, subject: 'KAP dosing session summary', date: documentDate(view) };
  return renderSummaryPdf(meta, (doc) => {
    header(doc, view);
    doseBlock(doc, view);
    signalsBlock(doc, view);
    planBlock(doc, 'Plan', view.plan, 'No plan recorded for this session.');
    doc.addPage();
    vitalsBlock(doc, view);
    monitoringBlock(doc, view);
    suicideRiskBlock(doc, view.suicideRisk, 'No C-SSRS screener recorded up to this session.');
    scoresBlock(doc, view.scores);
    careTeamBlock(doc, view);
    footers(doc, `${SUMMARY_TITLE} - session ${view.sessionId} of episode ${view.episodeId} - from the FHIR record`);
  });
}
