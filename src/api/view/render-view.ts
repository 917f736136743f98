/**
 * The web view of one patient (HTML, no script): the dosing timeline, the signals, the C-SSRS results, the score
 * trajectory over the episode (chart and table, with the responses that could not be scored), then every dosing
 * session with its vitals around the dose (chart and table), its medication review and screening, and a link to each
 * session's summary document. Rendered from `SessionView`s (read from the mapped FHIR resources). Every
 * chart is an `<img>` of its SVG (a `data:` URL, allowed by the page's CSP) whose `alt` is the chart's text
 * alternative, followed by the same figures as a table (screen readers, printing). Every text is escaped.
 *
 * Times are shown as recorded (the clinic's wall clock, with the record's offset), e.g. "10 Aug 2026 09:10".
 */
import { hasRemsRecord } from '../../summary/has-rems-record.js';
import type { ScoreTrajectory, ScreeningFinding, SessionView, SuicideRiskResult, VitalPoint } from '../../summary/session-view.js';
import { CSSRS_VERSION_TEXT, SUICIDE_RISK_TITLE } from '../../summary/suicide-risk-text.js';
import { unscoredText } from '../../summary/unscored-text.js';
import type { EpisodeSignal } from './episode-signals.js';
import type { EpisodeView, PatientRecord } from './patient-record.js';
import { VIEW_CSS } from './view-style.js';

/** A chart: its SVG and text alternative (src/summary/charts). */
export interface ViewChart {
  svg: string;
  alt: string;
}

/** The chart makers (absent: tables only). */
export interface ViewCharts {
  vitals?: (view: SessionView) => ViewChart | undefined;
  scores?: (trajectory: ScoreTrajectory) => ViewChart | undefined;
}

/** How the page is opened. */
export interface RenderOptions {
  charts?: ViewCharts;
  /** The href of a session's summary PDF (absent: no document links). */
  documentHref?: (episodeId: string, sessionId: string) => string;
  /** The href of an esketamine session's Spravato REMS monitoring record PDF (absent: no REMS links). */
  remsHref?: (episodeId: string, sessionId: string) => string;
  /** The href of an episode's summary PDF (absent: no episode summary link). */
  episodeHref?: (episodeId: string) => string;
  /** Opened through a prescriber's link: its expiry (ISO), shown at the top. */
  linkExpiresAt?: string;
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: string | number | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "10 Aug 2026 09:10" (the time as recorded), or the date alone; anything else as it is. */
export function showTime(text: string | undefined, dateOnly = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text ?? '');
  if (!m) {
    return text ?? '';
  }
  const date = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return dateOnly || !m[4] ? date : `${date} ${m[4]}:${m[5]}`;
}

/** "56 mg", "35 mg (0.5 mg/kg)". */
export function showDose(d: SessionView['dose']): string {
  const mg = d.mg !== undefined ? `${d.mg} mg` : '';
  const perKg = d.mgPerKg !== undefined ? `${d.mgPerKg} mg/kg` : '';
  return mg && perKg ? `${mg} (${perKg})` : mg || perKg || '—';
}

const STATUS_TEXT: Record<SessionView['dose']['status'], string> = { given: 'Given', held: 'Held', partial: 'Partly given', refused: 'Refused' };

function status(d: SessionView['dose']): string {
  return `<span class="status status-${esc(d.status)}">${esc(STATUS_TEXT[d.status])}</span>${d.statusReason ? ` <span class="muted">${esc(d.statusReason)}</span>` : ''}`;
}

function anchor(e: string, s: string): string {
  return `session-${e}--${s}`.replace(/[^A-Za-z0-9\-_.]/g, '_');
}

function figure(chart: ViewChart | undefined): string {
  if (!chart) {
    return '';
  }
  const src = `data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}`;
  return `<figure><img src="${src}" alt="${esc(chart.alt)}"><figcaption aria-hidden="true">${esc(chart.alt)}</figcaption></figure>`;
}

// ---- vitals -------------------------------------------------------------------------------------------------------

const PHASE_TEXT: Record<NonNullable<VitalPoint['phase']>, string> = { 'pre-dose': 'Before dose', 'during-dose': 'During dose', 'post-dose': 'After dose' };

/** A value, marked when it is beyond the clinic's threshold. */
function mark(text: string, beyond: boolean, why: string): string {
  return beyond ? `<mark title="${esc(why)}">${esc(text)}</mark><span class="muted"> (${esc(why)})</span>` : esc(text);
}

function vitalCell(p: VitalPoint | undefined, t: SessionView['thresholds']): string {
  if (!p) {
    return '';
  }
  switch (p.kind) {
    case 'blood-pressure': {
      const over = (p.systolic ?? 0) >= t.systolic || (p.diastolic ?? 0) >= t.diastolic;
      return mark(`${p.systolic ?? '?'}/${p.diastolic ?? '?'}`, over, `threshold ${t.systolic}/${t.diastolic}`);
    }
    case 'heart-rate':
      return mark(String(p.value), p.value !== undefined && (p.value < t.heartRate[0] || p.value > t.heartRate[1]), `range ${t.heartRate[0]}–${t.heartRate[1]}`);
    case 'respiratory-rate':
      return mark(String(p.value), p.value !== undefined && (p.value < t.respiratoryRate[0] || p.value > t.respiratoryRate[1]), `range ${t.respiratoryRate[0]}–${t.respiratoryRate[1]}`);
    case 'oxygen-saturation':
      return mark(String(p.value), p.value !== undefined && p.value < t.spo2Below, `below ${t.spo2Below}`);
    default:
      return esc(p.value);
  }
}

const VITAL_COLUMNS: [VitalPoint['kind'], string][] = [
  ['blood-pressure', 'BP mmHg'],
  ['heart-rate', 'HR /min'],
  ['respiratory-rate', 'RR /min'],
  ['oxygen-saturation', 'SpO₂ %'],
  ['sedation', 'MOAA/S'],
];

/** The vitals table: one row per time, one column per kind. */
export function vitalsTable(v: SessionView): string {
  if (v.vitals.length === 0) {
    return '<p class="muted">No vital signs recorded for this session.</p>';
  }
  const times = [...new Set(v.vitals.map((p) => p.time))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const kinds = VITAL_COLUMNS.filter(([k]) => v.vitals.some((p) => p.kind === k));
  const rows = times.map((time) => {
    const at = v.vitals.filter((p) => p.time === time);
    const phase = at.find((p) => p.phase)?.phase;
    const cells = kinds.map(([k]) => `<td class="num">${vitalCell(at.find((p) => p.kind === k), v.thresholds)}</td>`).join('');
    return `<tr><th scope="row">${esc(showTime(time))}</th><td>${phase ? esc(PHASE_TEXT[phase]) : ''}</td>${cells}</tr>`;
  });
  const head = kinds.map(([, h]) => `<th scope="col">${esc(h)}</th>`).join('');
  return `<div class="scroll"><table class="vitals"><caption>Vital signs around the dose (dose at ${esc(showTime(v.dose.start))})</caption><thead><tr><th scope="col">Time</th><th scope="col">Phase</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

// ---- scores -------------------------------------------------------------------------------------------------------

function change(p: ScoreTrajectory['points'][number]): string {
  if (p.baseline) {
    return 'Baseline';
  }
  if (p.percentChange === undefined) {
    return '';
  }
  const pct = `${p.percentChange > 0 ? '−' : p.percentChange < 0 ? '+' : ''}${Math.abs(Math.round(p.percentChange))} %`;
  const verdict = p.remission ? 'remission' : p.response ? 'response' : '';
  return verdict ? `${pct} · ${verdict}` : pct;
}

/** The table of one instrument's trajectory; a response that could not be scored is a row at its date. */
export function scoreTable(s: ScoreTrajectory): string {
  const scored = s.points.map((p) => ({
    time: p.time,
    html: `<tr${p.thisSession ? ' class="this"' : ''}><th scope="row">${esc(showTime(p.time))}</th><td class="num">${esc(p.total)} / ${esc(s.max)}</td><td>${esc(p.band ?? '')}</td><td>${esc(change(p))}</td></tr>`,
  }));
  const unscored = (s.unscored ?? []).map((u) => ({
    time: u.time,
    html: `<tr class="unscored${u.thisSession ? ' this' : ''}"><th scope="row">${esc(showTime(u.time))}</th><td colspan="3"><mark>${esc(unscoredText(u))}</mark></td></tr>`,
  }));
  const rows = [...scored, ...unscored].sort((a, b) => (Date.parse(a.time) || 0) - (Date.parse(b.time) || 0)).map((r) => r.html);
  return `<div class="scroll"><table class="scores" data-instrument="${esc(s.instrument)}"><caption>${esc(s.title)} totals (0–${esc(s.max)}; change from baseline, a fall is an improvement)</caption><thead><tr><th scope="col">Date</th><th scope="col">Total</th><th scope="col">Band</th><th scope="col">Change</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The C-SSRS results (date, version, risk level, "answers contradict each other"), in time order. */
export function suicideRiskTable(results: readonly SuicideRiskResult[]): string {
  if (results.length === 0) {
    return '<p class="muted">No C-SSRS screener recorded.</p>';
  }
  const rows = results.map((r) => {
    const risk = r.risk === 'high' || r.risk === 'moderate' ? `<mark>${esc(r.riskDisplay)}</mark>` : esc(r.riskDisplay);
    return `<tr data-risk="${esc(r.risk)}"><th scope="row">${esc(showTime(r.time))}</th><td>${esc(CSSRS_VERSION_TEXT[r.version])}</td><td>${risk}</td><td>${r.inconsistent ? '<mark>answers contradict each other</mark>' : ''}</td></tr>`;
  });
  return `<div class="scroll"><table class="suicide-risk"><caption>${esc(SUICIDE_RISK_TITLE)}: risk level of each screener</caption><thead><tr><th scope="col">Date</th><th scope="col">Version</th><th scope="col">Risk</th><th scope="col">Note</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The latest trajectory of each instrument over the episode (the last session's view holds them all). */
function trajectories(e: EpisodeView): ScoreTrajectory[] {
  const last = e.sessions.at(-1);
  return last ? last.scores.filter((s) => s.points.length > 0 || (s.unscored ?? []).length > 0) : [];
}

// ---- signals ------------------------------------------------------------------------------------------------------

function signalList(v: SessionView): string {
  if (v.signals.length === 0) {
    return '<p class="muted">No safety signal for this session.</p>';
  }
  const items = v.signals.map(
    (s) =>
      `<li class="${esc(s.severity)}" data-rule="${esc(s.rule)}"><span class="sev sev-${esc(s.severity)}">${esc(s.severity)}</span> <strong>${esc(s.display)}</strong><br><span class="muted">${esc(s.detail)}</span></li>`
  );
  return `<ul class="signals">${items.join('')}</ul>`;
}

// ---- one session --------------------------------------------------------------------------------------------------

function fact(label: string, value: string | undefined): string {
  return value ? `<dt>${esc(label)}</dt><dd>${value}</dd>` : '';
}

function sessionSection(v: SessionView, o: RenderOptions): string {
  const d = v.dose;
  const facts = [
    fact('Product', esc(d.product)),
    fact('Route', esc(d.route)),
    fact('Form', esc(d.form)),
    fact('Strength', esc(d.strength)),
    fact('Dose', esc(showDose(d)) + (d.deviceCount ? ` <span class="muted">(${esc(d.deviceCount)} devices)</span>` : '')),
    fact('Body weight', d.bodyWeightKg !== undefined ? `${esc(d.bodyWeightKg)} kg` : undefined),
    fact('Lot', esc(d.lot)),
    fact('Status', status(d)),
    fact('Dose time', esc(showTime(d.start)) + (d.end ? ` – ${esc(showTime(d.end))}` : '')),
    fact('Self-administered', d.selfAdministered ? 'Yes, under observation' : undefined),
    fact('Administered by', esc(v.careTeam.administeredBy)),
    fact('Monitored by', esc(v.careTeam.monitoredBy.join(', '))),
    fact('Prescription', v.prescription ? esc(v.prescription.sig ?? v.prescription.dose) : undefined),
    fact('Dissociation (CADSS-6)', v.dissociation ? esc(v.dissociation.score) : undefined),
    fact('Respiratory depression', v.respiratoryDepression ? (v.respiratoryDepression.observed ? '<mark>Observed</mark>' : 'Not observed') : undefined),
    fact('Discharge', v.discharge ? `${v.discharge.criteriaMet ? 'Criteria met' : '<mark>Criteria not met</mark>'}, ready ${esc(showTime(v.discharge.readyAt))}; ${esc(v.discharge.transport)}` : undefined),
  ].join('');
  const sideEffects =
    v.sideEffects.length === 0
      ? ''
      : `<h3>Side effects and adverse events</h3><ul>${v.sideEffects.map((s) => `<li>${sideEffectText(s)}</li>`).join('')}</ul>`;
  const plan = v.plan
    ? `<h3>Plan</h3><p>${esc(v.plan.recommendation)}${v.plan.nextDose ? ` · next dose ${esc(v.plan.nextDose)}` : ''}</p>${v.plan.note ? `<p>${esc(v.plan.note)}</p>` : ''}<p class="muted">${esc(v.plan.author ?? '')} ${esc(showTime(v.plan.time))}</p>`
    : '';
  const rems = remsLink(v, o, 'REMS monitoring record (PDF)');
  const doc = o.documentHref
    ? `<p><a class="document" href="${esc(o.documentHref(v.episodeId, v.sessionId))}">Session summary (PDF)</a>${rems ? ` · ${rems}` : ''}</p>`
    : rems
      ? `<p>${rems}</p>`
      : '';
  return `<section class="session" id="${anchor(v.episodeId, v.sessionId)}" data-session="${esc(v.sessionId)}">
<h2>${esc(showTime(d.start, true))} — ${esc(d.product)} ${esc(showDose(d))} ${status(d)}</h2>
<dl class="facts">${facts}</dl>
<h3>Vitals around the dose</h3>${figure(o.charts?.vitals?.(v))}${vitalsTable(v)}
<h3>Signals</h3>${signalList(v)}
<h3>Medications and screening at the session</h3>${medicationsAndScreening(v)}
${sideEffects}${plan}${doc}</section>`;
}

/**
 * A side effect as read: "Drowsy — severe, <mark>serious</mark>, resolved (onset 09:32)".
 * @param s - the view's side effect
 */
export function sideEffectText(s: SessionView['sideEffects'][number]): string {
  const parts = [
    s.severity ? esc(s.severity.toLowerCase()) : '',
    s.serious === true ? '<mark>serious</mark>' : s.serious === false ? 'not serious' : '',
    s.outcome ? esc(s.outcome.toLowerCase()) : '',
  ].filter(Boolean);
  const onset = s.onset ? ` <span class="muted">(onset ${esc(showTime(s.onset))})</span>` : '';
  return `${esc(s.effect)}${parts.length > 0 ? ` — ${parts.join(', ')}` : ''}${onset}`;
}

const SCREENING_TEXT: Record<ScreeningFinding['result'], string> = { present: 'present', absent: 'absent', unknown: 'unknown' };

/** The session's medication review (each medication with its class, or "none") and its screening findings. */
export function medicationsAndScreening(v: SessionView): string {
  const m = v.medications;
  const meds = !m
    ? '<span class="muted">no review recorded</span>'
    : m.none || m.items.length === 0
      ? `none <span class="muted">(reviewed ${esc(showTime(m.reviewedAt))})</span>`
      : `${m.items.map((i) => (i.name ? `${esc(i.name)} <span class="muted">(${esc(i.class.toLowerCase())})</span>` : esc(i.class))).join('; ')} <span class="muted">(reviewed ${esc(showTime(m.reviewedAt))})</span>`;
  const s = v.screening;
  const findings = s?.findings.map((f) => (f.result === 'present' ? `<mark>${esc(f.item)}: present</mark>` : `${esc(f.item)}: ${SCREENING_TEXT[f.result]}`)) ?? [];
  const screening = !s
    ? '<span class="muted">not recorded</span>'
    : findings.length > 0
      ? `${findings.join('; ')} <span class="muted">(screened ${esc(showTime(s.screenedAt))})</span>`
      : s.noneKnown
        ? `none known <span class="muted">(screened ${esc(showTime(s.screenedAt))})</span>`
        : '<span class="muted">not recorded</span>';
  return `<dl class="facts review">${fact('Medications', meds)}${fact('Screening', screening)}</dl>`;
}

/** The link to a session's REMS record PDF, when it has one and the page links documents. */
function remsLink(v: SessionView, o: RenderOptions, text: string): string {
  return o.remsHref && hasRemsRecord(v) ? `<a class="rems-document" href="${esc(o.remsHref(v.episodeId, v.sessionId))}">${esc(text)}</a>` : '';
}

// ---- the page -----------------------------------------------------------------------------------------------------

/** The dosing sessions of an episode, a row each: what a prescriber scans first (date, given or held, dose, signals) comes first, so a phone shows it without scrolling sideways. */
function timeline(e: EpisodeView, o: RenderOptions): string {
  const rows = e.sessions.map((v) => {
    const rems = remsLink(v, o, 'REMS');
    const doc = [o.documentHref ? `<a href="${esc(o.documentHref(v.episodeId, v.sessionId))}">PDF</a>` : '', rems].filter(Boolean).join(' · ');
    const signals = v.signals.length === 0 ? '—' : v.signals.map((s) => `<span class="sev sev-${esc(s.severity)}">${esc(s.severity)}</span>`).join(' ');
    return `<tr data-session="${esc(v.sessionId)}"><th scope="row"><a href="#${anchor(v.episodeId, v.sessionId)}">${esc(showTime(v.dose.start))}</a></th><td>${status(v.dose)}</td><td class="num">${esc(showDose(v.dose))}</td><td>${signals}</td><td>${esc(v.dose.product)}</td><td>${doc}</td></tr>`;
  });
  return `<div class="scroll"><table class="timeline"><caption>Dosing sessions (${e.sessions.length})</caption><thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Dose</th><th scope="col">Signals</th><th scope="col">Product</th><th scope="col">Document</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const SIGNAL_STATUS: Partial<Record<NonNullable<EpisodeSignal['status']>, string>> = {
  final: 'Raised',
  preliminary: 'Preliminary',
  mitigated: 'Mitigated',
  'entered-in-error': 'Entered in error',
};

/** Every signal of the episode with its state and the session it is about. */
function episodeSignalList(e: EpisodeView): string {
  if (e.signals.length === 0) {
    return '<p class="muted">No safety signal in this episode.</p>';
  }
  const sessions = new Map(e.sessions.map((v) => [v.sessionId, v]));
  const items = e.signals.map((s) => {
    const v = s.sessionId ? sessions.get(s.sessionId) : undefined;
    const about = v ? `<a href="#${anchor(v.episodeId, v.sessionId)}">session of ${esc(showTime(v.dose.start, true))}</a>` : 'the episode';
    const state = [SIGNAL_STATUS[s.status ?? 'final'] ?? s.status, s.notified ? 'prescriber notified' : ''].filter(Boolean).join(' · ');
    return `<li class="${esc(s.severity)}" data-rule="${esc(s.rule)}"><span class="sev sev-${esc(s.severity)}">${esc(s.severity)}</span> <strong>${esc(s.display)}</strong> <span class="state">${esc(state)}</span><br><span class="muted">${s.identified ? `${esc(showTime(s.identified))} · ` : ''}about ${about}. ${esc(s.detail)}</span></li>`;
  });
  return `<ul class="signals">${items.join('')}</ul>`;
}

function episodeSections(e: EpisodeView, o: RenderOptions): string {
  if (e.sessions.length === 0) {
    return `<section><h2>Episode ${esc(e.episodeId)}</h2><p class="muted">No dosing session recorded yet.</p></section>
<section class="episode-signals"><h2>Signals (${e.signals.length})</h2>${episodeSignalList(e)}</section>`;
  }
  const scores = trajectories(e);
  const scoreBlock =
    scores.length === 0
      ? '<p class="muted">No scores recorded.</p>'
      : scores.map((s) => `<h3>${esc(s.title)}</h3>${s.points.length > 0 ? figure(o.charts?.scores?.(s)) : ''}${scoreTable(s)}`).join('');
  // the last session's view holds every C-SSRS result of the episode (its window never closes)
  const risk = suicideRiskTable(e.sessions.at(-1)?.suicideRisk ?? []);
  const summary = o.episodeHref
    ? `<p><a class="episode-document" href="${esc(o.episodeHref(e.episodeId))}">Episode summary (PDF): every session, the scores, the signals, the latest plan</a></p>`
    : '';
  return `<section class="timeline" id="timeline-${esc(e.episodeId)}"><h2>Dosing timeline</h2>${timeline(e, o)}${summary}</section>
<section class="episode-signals"><h2>Signals (${e.signals.length})</h2>${episodeSignalList(e)}</section>
<section class="suicide-risk"><h2>${esc(SUICIDE_RISK_TITLE)}</h2>${risk}</section>
<section class="trajectory"><h2>Score trajectory</h2>${scoreBlock}</section>
${e.sessions.map((v) => sessionSection(v, o)).join('\n')}`;
}

/**
 * The page of one patient.
 * @param record - the patient's episodes and dosing sessions
 * @param o - charts, document links, the link's expiry
 */
export function renderPatientView(record: PatientRecord, o: RenderOptions = {}): string {
  const first = record.episodes.flatMap((e) => e.sessions)[0];
  const patient = first?.patient;
  const who = patient
    ? `<h1>${esc(patient.name)}</h1><p>${[patient.birthDate ? `Born ${esc(showTime(patient.birthDate, true))}` : '', esc(patient.gender ?? '')].filter(Boolean).join(' · ')}</p>`
    : '<h1>Patient</h1>';
  const clinic = first?.clinic.name ?? '';
  const notice = o.linkExpiresAt
    ? `<p class="notice">Shared with you by ${esc(clinic)} for this patient only. This link expires ${esc(o.linkExpiresAt.slice(0, 16).replace('T', ' '))} UTC.</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
<title>KAP sessions — prescriber view</title><style>${VIEW_CSS}</style></head>
<body><header class="top"><p>${esc(clinic)} · ketamine-assisted therapy</p>${who}</header>
<main>${notice}${record.episodes.map((e) => episodeSections(e, o)).join('\n')}
<p class="muted">Read from the FHIR record the clinic sent to the EHR. Thresholds marked are the clinic's.</p></main></body></html>`;
}

/** The one answer to a link that does not open (unknown, expired or revoked: the same page, no hint). */
export function renderLinkRefused(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>Link not available</title><style>${VIEW_CSS}</style></head>
<body><main><section><h1>This link is not available</h1><p>Ask the clinic that sent it for a new one.</p></section></main></body></html>`;
}
