/**
 * The episode summary as a FHIR document (issue 14, made on request): a `document` Bundle whose first entry is a
 * Composition (profile kap-episode-summary: final, LOINC 34133-9 Summary of episode note, subject = the Patient,
 * `event` = the EpisodeOfCare over the period from the first dose to the end of the last session, author and
 * custodian = the clinic) with the sections prescription, dosing sessions, scores, safety signals, plan and care
 * team, each with a generated XHTML narrative and entries citing the mapped resources it shows; then every resource
 * the Composition references and everything those reference (src/summary/document-sections.ts). The Bundle and
 * Composition identifiers are the clinic's `<episode>/episode-summary` (the Bundle's with `-v<version>`).
 */
import type { Bundle, Composition } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import { episodeScopedValue } from '../identity/record-identity.js';
import { clinicSystemOf } from '../safety/signal-resources.js';
import { kapCodeSystem, kapProfile, LOINC } from '../terminology/systems.js';
import { compact, dateTimeText, datePart, documentBundle, scoreBlocks, suicideRiskBlocks, toSection, type SectionSpec } from './document-sections.js';
import type { EpisodeDoseRow, EpisodeSummaryView } from './episode-view.js';
import { dosesByTime, NoDosingSessionError } from './read-episode-view.js';
import { sessionEntries, type SessionEntries } from './session-entries.js';
import { b, p, table, ul } from './xhtml.js';

/** LOINC 34133-9, as in the R4 document type value set (c80-doc-typecodes). */
export const SUMMARY_OF_EPISODE_NOTE = { system: LOINC, code: '34133-9', display: 'Summary of episode note' };

/** The title of the episode summary (no name in it). */
export const EPISODE_SUMMARY_TITLE = 'Ketamine treatment episode summary';

/** Options of the document. */
export interface EpisodeDocumentOptions {
  /** Bundle.timestamp and Composition.date (FHIR instant); default now. */
  timestamp?: string;
  /** The episode version the document was made from (in the Bundle identifier). */
  version?: number;
}

/** The business identifier value of an episode's summary: `<episode>/episode-summary`. */
export function episodeSummaryIdentifierValue(episodeId: string): string {
  return episodeScopedValue(episodeId, 'episode-summary');
}

/** What the sections cite, from the sessions' resource groups. */
interface EpisodeRefs {
  index: BundleIndex;
  /** The sessions' groups, in the view's order (by dose time). */
  sessions: SessionEntries[];
}

/**
 * The episode summary document.
 * @param view - the episode's view (`episodeSummaryView(bundle, clinicId)`)
 * @param bundle - the episode Bundle the view was read from
 * @param opts - timestamp and episode version
 * @returns a `document` Bundle
 * @throws NoDosingSessionError when the Bundle has no dosing session
 */
export function episodeSummaryDocument(view: EpisodeSummaryView, bundle: Bundle, opts: EpisodeDocumentOptions = {}): Bundle {
  const sessions = dosesByTime(bundle).map((url) => sessionEntries(bundle, url) as SessionEntries);
  if (sessions.length === 0) {
    throw new NoDosingSessionError();
  }
  const index = (sessions[0] as SessionEntries).index;
  const refs: EpisodeRefs = { index, sessions };
  const timestamp = opts.timestamp ?? new Date().toISOString();
  const system = clinicSystemOf(bundle, index) ?? kapCodeSystem('summary');
  const value = episodeSummaryIdentifierValue(view.episodeId);
  const patient = index.ofType('Patient')[0]?.ref;
  const clinic = index.ofType('Organization')[0]?.ref;
  const episode = index.ofType('EpisodeOfCare')[0]?.ref;
  const period = view.period;
  const composition: Composition & { identifier: { system: string; value: string } } = {
    resourceType: 'Composition',
    meta: { profile: [kapProfile('kap-episode-summary')] },
    identifier: { system, value },
    status: 'final',
    type: { coding: [SUMMARY_OF_EPISODE_NOTE], text: EPISODE_SUMMARY_TITLE },
    ...(patient ? { subject: { reference: patient } } : {}),
    date: timestamp,
    author: [clinic ? { reference: clinic } : { display: view.clinic.name }],
    title: `${EPISODE_SUMMARY_TITLE} — ${datePart(period?.start)}${period?.end ? ` to ${datePart(period.end)}` : ''}`,
    ...(clinic ? { custodian: { reference: clinic } } : {}),
    event: [{ ...(period ? { period } : {}), ...(episode ? { detail: [{ reference: episode }] } : {}) }],
    section: [
      prescriptionSection(view, refs),
      dosingSessionsSection(view, refs),
      scoresSection(view, refs),
      signalsSection(view, refs),
      planSection(view, refs),
      careTeamSection(view, refs),
    ].map(toSection),
  };
  return documentBundle(composition, bundle, { system, value: opts.version !== undefined ? `${value}-v${opts.version}` : value }, timestamp);
}

const STATUS: Record<EpisodeDoseRow['dose']['status'], string> = { given: 'Given', held: 'Held', partial: 'Partly given', refused: 'Refused' };

/**
 * A dose's status as read: "Given", "Held: Blood pressure high" …
 * @param d - the dose
 */
export function doseStatusText(d: EpisodeDoseRow['dose']): string {
  return `${STATUS[d.status]}${d.status !== 'given' && d.statusReason ? `: ${d.statusReason}` : ''}`;
}

function prescriptionSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const patientLine = p(
    b('Patient: '),
    compact([v.patient.name, v.patient.birthDate && `born ${v.patient.birthDate}`, v.patient.gender]).join(', '),
    ' — ',
    v.clinic.name
  );
  const items = v.prescriptions.map((rx) =>
    compact([
      `Prescription ${rx.id}${rx.prescriber ? ` by ${rx.prescriber}` : ''}`,
      rx.dose && `dose ${rx.dose}`,
      rx.sessions !== undefined && `${rx.sessions} sessions`,
      rx.validity && `valid ${rx.validity.start ?? '…'} to ${rx.validity.end ?? '…'}`,
      rx.sig && `sig: ${rx.sig}`,
    ]).join('; ')
  );
  return {
    code: 'prescription',
    title: 'Patient and prescriptions',
    blocks: [patientLine, items.length > 0 ? ul(items) : p('No prescription recorded in the episode.')],
    entries: r.index.ofType('MedicationRequest').map((e) => e.ref),
  };
}

function dosingSessionsSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const rows = v.sessions.map((s) => [
    dateTimeText(s.dose.start),
    s.sessionId,
    s.dose.product,
    s.dose.route,
    s.dose.form ?? '',
    s.dose.mg !== undefined ? String(s.dose.mg) : '',
    s.dose.mgPerKg !== undefined ? String(s.dose.mgPerKg) : '',
    doseStatusText(s.dose),
    s.lowestSpo2 !== undefined ? String(s.lowestSpo2) : '',
    s.highestBp ? `${s.highestBp.systolic}/${s.highestBp.diastolic}` : '',
    String(s.signals),
  ]);
  const given = v.sessions.filter((s) => s.dose.status === 'given' || s.dose.status === 'partial').length;
  return {
    code: 'dosing-sessions',
    title: 'Dosing sessions',
    blocks: [
      p(`${v.sessions.length} dosing session${v.sessions.length === 1 ? '' : 's'}, ${given} with a dose given.`),
      table(
        'Dosing sessions of the episode',
        ['Date', 'Session', 'Product', 'Route', 'Form', 'Dose (mg)', 'mg/kg', 'Status', 'Lowest SpO2 (%)', 'Highest BP (mmHg)', 'Signals'],
        rows
      ),
    ],
    entries: r.sessions.map((s) => s.ma.ref),
  };
}

function scoresSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const first = r.sessions[0];
  return {
    code: 'scores',
    title: 'Scores',
    blocks: [...scoreBlocks(v.scores), ...suicideRiskBlocks(v.suicideRisk)],
    entries: [...(first?.scores ?? []), ...(first?.suicideRisk ?? [])],
  };
}

const SIGNAL_STATE: Record<string, string> = { final: 'raised', preliminary: 'preliminary', mitigated: 'mitigated', 'entered-in-error': 'entered in error' };

function signalsSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const when = new Map(v.sessions.map((s) => [s.sessionId, datePart(s.dose.start)]));
  const items = v.signals.map((s) => {
    const state = compact([SIGNAL_STATE[s.status ?? 'final'] ?? s.status, s.notified && 'prescriber notified']).join(', ');
    const about = s.sessionId ? `session ${s.sessionId} (${when.get(s.sessionId) ?? ''})` : 'the episode';
    return p(b(`${s.severity.toUpperCase()}: ${s.display}. `), `${s.detail} (${state}; about ${about})`);
  });
  return {
    code: 'signals',
    title: 'Safety signals',
    blocks: items.length > 0 ? [ul(items)] : [],
    entries: r.index.ofType('DetectedIssue').map((e) => e.ref),
  };
}

function planSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const plan = v.plan;
  if (!plan) {
    return { code: 'plan', title: 'Plan', blocks: [], entries: [] };
  }
  const at = v.sessions.find((s) => s.sessionId === plan.sessionId);
  const items = compact([
    `Latest plan (session ${plan.sessionId}${at ? `, ${datePart(at.dose.start)}` : ''}): ${plan.recommendation}${plan.nextDose ? `, next dose ${plan.nextDose}` : ''}${plan.author ? ` (${plan.author})` : ''}`,
    plan.note && `Note: ${plan.note}`,
  ]);
  const i = v.sessions.findIndex((s) => s.sessionId === plan.sessionId);
  return { code: 'plan', title: 'Plan', blocks: [ul(items)], entries: r.sessions[i]?.plan ?? [] };
}

function careTeamSection(v: EpisodeSummaryView, r: EpisodeRefs): SectionSpec {
  const c = v.careTeam;
  const items = compact([
    c.administeredBy.length > 0 && `Administered or supervised: ${c.administeredBy.join(', ')}`,
    c.monitoredBy.length > 0 && `Monitored: ${c.monitoredBy.join(', ')}`,
    c.prescribers.length > 0 && `Prescribers: ${c.prescribers.join(', ')}`,
  ]);
  return { code: 'care-team', title: 'Care team', blocks: items.length > 0 ? [ul(items)] : [], entries: r.sessions.flatMap((s) => s.careTeam) };
}
