/**
 * The session summary as a FHIR document (issue 14, R4 documents.html): a `document` Bundle whose first entry is a
 * Composition (profile kap-session-summary: final, LOINC 11506-3 progress note, subject = the Patient, encounter =
 * the session Encounter, author and custodian = the clinic) with one section per part of the SessionView, each with a
 * generated XHTML narrative and entries citing the mapped resources it shows; then every resource the Composition
 * references, and everything those reference, with their `urn:uuid` fullUrls from the episode Bundle (no
 * `request`: a document is no transaction). The Bundle and Composition identifiers are the clinic's business
 * identifiers `<episode>/summary-<session>` (the Bundle's with `-v<version>` when a version is given).
 * docs/summary.md lists the sections and where each figure comes from.
 */
import type { Bundle, Composition } from '@medplum/fhirtypes';
import { episodeScopedValue } from '../identity/record-identity.js';
import { clinicSystemOf } from '../safety/signal-resources.js';
import { kapCodeSystem, kapProfile, LOINC } from '../terminology/systems.js';
import { compact, datePart, dateTimeText, documentBundle, scoreBlocks, suicideRiskBlocks, timeText, toSection, type SectionSpec } from './document-sections.js';
import { localIdOf } from './read-fhir.js';
import { SessionNotFoundError } from './read-session-view.js';
import { sessionEntries, type SessionEntries } from './session-entries.js';
import type { SessionView, VitalPoint } from './session-view.js';
import { b, p, table, ul } from './xhtml.js';

export { dateTimeText, KAP_SUMMARY_SECTION, trajectoryStatement } from './document-sections.js';

/** LOINC 11506-3, as in the R4 document type value set (c80-doc-typecodes). */
export const PROGRESS_NOTE = { system: LOINC, code: '11506-3', display: 'Provider-unspecified Progress note' };

/** Options of the document. */
export interface SessionDocumentOptions {
  /** Bundle.timestamp and Composition.date (FHIR instant); default now. */
  timestamp?: string;
  /** The episode version the document was made from (in the Bundle identifier). */
  version?: number;
}

/**
 * The session summary document.
 * @param view - the session's view (`sessionView(bundle, maFullUrl)`)
 * @param bundle - the episode Bundle the view was read from
 * @param maFullUrl - the session's MedicationAdministration fullUrl
 * @param opts - timestamp and episode version
 * @returns a `document` Bundle
 * @throws SessionNotFoundError when the Bundle has no MedicationAdministration with that fullUrl
 */
export function sessionSummaryDocument(view: SessionView, bundle: Bundle, maFullUrl: string, opts: SessionDocumentOptions = {}): Bundle {
  const entries = sessionEntries(bundle, maFullUrl);
  if (!entries) {
    throw new SessionNotFoundError();
  }
  const timestamp = opts.timestamp ?? new Date().toISOString();
  const system = clinicSystemOf(bundle, entries.index) ?? kapCodeSystem('summary');
  const value = episodeScopedValue(view.episodeId, `summary-${view.sessionId}`);
  const patient = entries.index.ofType('Patient')[0]?.ref;
  const clinic = entries.index.ofType('Organization')[0]?.ref;
  const sections = sectionSpecs(view, entries).map(toSection);
  const composition: Composition & { identifier: { system: string; value: string } } = {
    resourceType: 'Composition',
    meta: { profile: [kapProfile('kap-session-summary')] },
    identifier: { system, value },
    status: 'final',
    type: { coding: [PROGRESS_NOTE], text: 'Ketamine dosing session summary' },
    ...(patient ? { subject: { reference: patient } } : {}),
    ...(entries.encounter ? { encounter: { reference: entries.encounter } } : {}),
    date: timestamp,
    author: [clinic ? { reference: clinic } : { display: view.clinic.name }],
    title: `Ketamine dosing session summary — ${datePart(view.dose.start)}`,
    ...(clinic ? { custodian: { reference: clinic } } : {}),
    section: sections,
  };
  return documentBundle(composition, bundle, { system, value: opts.version !== undefined ? `${value}-v${opts.version}` : value }, timestamp);
}

/** The sections, in reading order. */
function sectionSpecs(v: SessionView, e: SessionEntries): SectionSpec[] {
  const specs: SectionSpec[] = [
    prescriptionSection(v, e),
    doseSection(v, e),
    medicationsSection(v, e),
    vitalsSection(v, e),
    dissociationSection(v, e),
    sideEffectsSection(v, e),
    signalsSection(v, e),
    scoresSection(v, e),
    careTeamSection(v, e),
    planSection(v, e),
  ];
  return specs;
}

function prescriptionSection(v: SessionView, e: SessionEntries): SectionSpec {
  const rx = v.prescription;
  const patientLine = p(
    b('Patient: '),
    compact([v.patient.name, v.patient.birthDate && `born ${v.patient.birthDate}`, v.patient.gender]).join(', '),
    ' — ',
    v.clinic.name
  );
  const blocks = [patientLine];
  if (rx) {
    blocks.push(
      ul(
        compact([
          `Prescription ${rx.id}${rx.prescriber ? ` by ${rx.prescriber}` : ''}`,
          rx.sig && `Sig: ${rx.sig}`,
          rx.dose && `Dose: ${rx.dose}`,
          rx.sessions !== undefined && `Sessions: ${rx.sessions}`,
          rx.validity && `Valid ${rx.validity.start ?? '…'} to ${rx.validity.end ?? '…'}`,
        ])
      )
    );
  } else {
    blocks.push(p('No prescription recorded for this dose.'));
  }
  return { code: 'prescription', title: 'Prescription', blocks, entries: compact([e.prescription]) };
}

/** The dose as one line: "56 mg (0.5 mg/kg × 82.4 kg)". */
export function doseAmountText(d: SessionView['dose']): string {
  const mg = d.mg !== undefined ? `${d.mg} mg` : '';
  const perKg = d.mgPerKg !== undefined ? `${d.mgPerKg} mg/kg${d.bodyWeightKg !== undefined ? ` × ${d.bodyWeightKg} kg` : ''}` : '';
  return mg && perKg ? `${mg} (${perKg})` : mg || perKg;
}

function doseSection(v: SessionView, e: SessionEntries): SectionSpec {
  const d = v.dose;
  const status = d.status === 'given' ? 'Given' : `${d.status[0].toUpperCase()}${d.status.slice(1)}${d.statusReason ? `: ${d.statusReason}` : ''}`;
  const items = compact([
    `Product: ${d.product}`,
    `Route: ${d.route}`,
    d.form && `Form: ${d.form}`,
    d.strength && `Strength: ${d.strength}`,
    `Dose: ${doseAmountText(d)}${d.deviceCount !== undefined ? `, ${d.deviceCount} devices` : ''}`,
    d.lot && `Lot: ${d.lot}`,
    `Time: ${dateTimeText(d.start)}${d.end ? `–${timeText(d.end)}` : ''}`,
    d.selfAdministered && 'Self-administered under supervision',
  ]);
  return {
    code: 'dose',
    title: 'Dose',
    blocks: [p(b('Status: '), status), ul(items)],
    entries: [e.ma.ref, ...compact([e.bodyWeight])],
  };
}

function medicationsSection(v: SessionView, e: SessionEntries): SectionSpec {
  const m = v.medications;
  const blocks = !m
    ? [p('No medication review recorded at this session.')]
    : m.none
      ? [p(`Reviewed ${dateTimeText(m.reviewedAt)}: no current medications.`)]
      : [p(`Reviewed ${dateTimeText(m.reviewedAt)}:`), ul(m.items.map((i) => (i.name ? `${i.name} (${i.class})` : i.class)))];
  return { code: 'medications', title: 'Medications at the session', blocks, entries: e.medications };
}

/** The vitals table: one row per time, BP / HR / RR / SpO2 columns (sedation is in its own section). */
export function vitalRows(vitals: VitalPoint[]): { time: string; phase: string; bp: string; hr: string; rr: string; spo2: string }[] {
  const rows = new Map<string, { time: string; phase: string; bp: string; hr: string; rr: string; spo2: string }>();
  for (const v of vitals.filter((x) => x.kind !== 'sedation')) {
    const row = rows.get(v.time) ?? { time: v.time, phase: v.phase ?? '', bp: '', hr: '', rr: '', spo2: '' };
    if (v.kind === 'blood-pressure') {
      row.bp = `${v.systolic ?? '?'}/${v.diastolic ?? '?'}`;
    } else if (v.kind === 'heart-rate') {
      row.hr = String(v.value ?? '');
    } else if (v.kind === 'respiratory-rate') {
      row.rr = String(v.value ?? '');
    } else {
      row.spo2 = String(v.value ?? '');
    }
    rows.set(v.time, row);
  }
  return [...rows.values()];
}

function vitalsSection(v: SessionView, e: SessionEntries): SectionSpec {
  const t = v.thresholds;
  const rows = vitalRows(v.vitals);
  const blocks =
    rows.length === 0
      ? []
      : [
          table(
            'Vital signs around the dose',
            ['Time', 'Phase', 'BP (mmHg)', 'HR (/min)', 'RR (/min)', 'SpO2 (%)'],
            rows.map((r) => [timeText(r.time), r.phase, r.bp, r.hr, r.rr, r.spo2])
          ),
          p(
            `Clinic thresholds: BP ${t.systolic}/${t.diastolic} (severe above ${t.severeSystolic}/${t.severeDiastolic}), ` +
              `HR ${t.heartRate[0]}–${t.heartRate[1]}, RR ${t.respiratoryRate[0]}–${t.respiratoryRate[1]}, SpO2 below ${t.spo2Below} %.`
          ),
        ];
  return { code: 'vital-signs', title: 'Vital signs', blocks, entries: e.vitals };
}

function dissociationSection(v: SessionView, e: SessionEntries): SectionSpec {
  const sedation = v.vitals.filter((x) => x.kind === 'sedation');
  const items = compact([
    v.dissociation && `CADSS-6: ${v.dissociation.score}${v.dissociation.time ? ` at ${timeText(v.dissociation.time)}` : ''}`,
    ...sedation.map((s) => `MOAA/S ${s.value} at ${timeText(s.time)}`),
    v.respiratoryDepression &&
      `Respiratory depression: ${v.respiratoryDepression.observed ? 'observed' : 'not observed'} (${timeText(v.respiratoryDepression.time)})`,
  ]);
  return {
    code: 'dissociation-sedation',
    title: 'Dissociation and sedation',
    blocks: items.length > 0 ? [ul(items)] : [],
    entries: [...e.dissociation, ...e.sedation, ...e.respiratoryDepression],
  };
}

function sideEffectsSection(v: SessionView, e: SessionEntries): SectionSpec {
  const blocks =
    v.sideEffects.length === 0
      ? []
      : [
          table(
            'Side effects and adverse events',
            ['Effect', 'Severity', 'Serious', 'Outcome', 'Onset'],
            v.sideEffects.map((s) => [s.effect, s.severity, s.serious === undefined ? '' : s.serious ? 'yes' : 'no', s.outcome ?? '', timeText(s.onset)])
          ),
        ];
  return { code: 'side-effects', title: 'Side effects and adverse events', blocks, entries: e.sideEffects };
}

function signalsSection(v: SessionView, e: SessionEntries): SectionSpec {
  const blocks = v.signals.length === 0 ? [] : [ul(v.signals.map((s) => p(b(`${s.severity.toUpperCase()}: ${s.display}. `), s.detail)))];
  return { code: 'signals', title: 'Safety signals', blocks, entries: e.signals };
}

/** The scores and the C-SSRS results the session shows (its window and the ones before), cited as entries. */
function scoresSection(v: SessionView, e: SessionEntries): SectionSpec {
  const shown = new Set(v.suicideRisk.map((r) => r.id));
  const risks = e.suicideRisk.filter((ref) => {
    const o = e.index.resolve({ reference: ref })?.resource;
    return o !== undefined && shown.has(localIdOf(o) ?? ref);
  });
  const blocks = [...scoreBlocks(v.scores), ...suicideRiskBlocks(v.suicideRisk)];
  return { code: 'scores', title: 'Scores', blocks, entries: [...e.scores, ...risks] };
}

function careTeamSection(v: SessionView, e: SessionEntries): SectionSpec {
  const c = v.careTeam;
  const items = compact([
    c.administeredBy && `${v.dose.selfAdministered ? 'Supervised self-administration' : 'Administered'}: ${c.administeredBy}`,
    c.monitoredBy.length > 0 && `Monitored: ${c.monitoredBy.join(', ')}`,
    c.prescriber && `Prescriber: ${c.prescriber}`,
  ]);
  return { code: 'care-team', title: 'Care team', blocks: items.length > 0 ? [ul(items)] : [], entries: e.careTeam };
}

function planSection(v: SessionView, e: SessionEntries): SectionSpec {
  const items = compact([
    v.discharge &&
      `Discharge: criteria ${v.discharge.criteriaMet ? 'met' : 'not met'}, ready ${timeText(v.discharge.readyAt)}, ${v.discharge.transport}`,
    v.session.dischargedAt && `Left at ${timeText(v.session.dischargedAt)}`,
    v.plan && `Plan: ${v.plan.recommendation}${v.plan.nextDose ? `, next dose ${v.plan.nextDose}` : ''}${v.plan.author ? ` (${v.plan.author})` : ''}`,
    v.plan?.note && `Note: ${v.plan.note}`,
  ]);
  return { code: 'plan', title: 'Plan', blocks: items.length > 0 ? [ul(items)] : [], entries: [...e.discharge, ...e.plan] };
}
