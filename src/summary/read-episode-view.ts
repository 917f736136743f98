/**
 * `episodeSummaryView(bundle, clinicId)`: the EpisodeSummaryView of an episode Bundle (src/summary/episode-view.ts),
 * read only from the mapped FHIR resources, built on the per-session readers:
 * - each dosing session: `sessionView` of its MedicationAdministration (the dose, its vitals, its signals), by dose
 *   time; the row's lowest SpO2 (from the dose on) and highest blood pressure come from the view's vitals;
 * - the prescriptions: every MedicationRequest of the Bundle (`prescriptionView`);
 * - the scores: every PHQ-9 / GAD-7 / PCL-5 total of the episode and the responses that could not be scored
 *   (src/summary/read-scores.ts), none "this session"; every C-SSRS result (src/summary/read-suicide-risk.ts);
 * - the signals: every DetectedIssue with its state (src/summary/read-episode-signals.ts);
 * - the plan: the latest session's `kap-dosing-plan`; the care team: the sessions' people, each once.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from '../safety/config.js';
import type { EpisodeDoseRow, EpisodeSummaryView } from './episode-view.js';
import { attributedSignals, episodeSignals } from './read-episode-signals.js';
import { scoreTrajectories } from './read-scores.js';
import { suicideRiskResults } from './read-suicide-risk.js';
import { firstDoseStart, prescriptionView, sessionView } from './read-session-view.js';
import type { SessionView } from './session-view.js';

/** Thrown when the episode Bundle has no dosing session (no PHI in the message). */
export class NoDosingSessionError extends Error {
  constructor() {
    super('the episode Bundle has no dosing session');
    this.name = 'NoDosingSessionError';
  }
}

/** The MedicationAdministration fullUrls of an episode Bundle, by dose start (Bundle order within a time). */
export function dosesByTime(bundle: Bundle): string[] {
  return new BundleIndex(bundle)
    .ofType('MedicationAdministration')
    .filter((e) => e.fullUrl !== undefined)
    .map((e) => ({ url: e.fullUrl as string, at: timeOf(e.resource.effectiveDateTime ?? e.resource.effectivePeriod?.start) ?? Number.POSITIVE_INFINITY, i: e.index }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => e.url);
}

/**
 * The row of one dosing session.
 * @param v - the session's view
 */
export function doseRow(v: SessionView): EpisodeDoseRow {
  const spo2 = v.vitals.filter((p) => p.kind === 'oxygen-saturation' && p.phase !== 'pre-dose' && p.value !== undefined).map((p) => p.value as number);
  const bps = v.vitals.filter((p) => p.kind === 'blood-pressure' && p.systolic !== undefined && p.diastolic !== undefined);
  const highest = bps.reduce<(typeof bps)[number] | undefined>(
    (top, p) => (!top || (p.systolic as number) > (top.systolic as number) || (p.systolic === top.systolic && (p.diastolic as number) > (top.diastolic as number)) ? p : top),
    undefined
  );
  return {
    sessionId: v.sessionId,
    dose: v.dose,
    ...(spo2.length > 0 ? { lowestSpo2: Math.min(...spo2) } : {}),
    ...(highest ? { highestBp: { systolic: highest.systolic as number, diastolic: highest.diastolic as number } } : {}),
    signals: v.signals.length,
  };
}

/** Each name once, in the order first met. */
const unique = (names: (string | undefined)[]): string[] => [...new Set(names.filter((n): n is string => n !== undefined && n !== ''))];

/**
 * The summary view of an episode.
 * @param bundle - the mapped episode Bundle (with its signals: src/pipeline/map-clinic-episode.ts)
 * @param clinicId - the clinic (its identifiers name the sessions the signals are about)
 * @param safety - the clinic's safety thresholds (as for `sessionView`)
 * @returns the view
 * @throws NoDosingSessionError when the Bundle has no MedicationAdministration
 */
export function episodeSummaryView(bundle: Bundle, clinicId: string, safety?: Partial<SafetyConfig>): EpisodeSummaryView {
  const urls = dosesByTime(bundle);
  if (urls.length === 0) {
    throw new NoDosingSessionError();
  }
  const sessions = urls.map((url) => sessionView(bundle, url, safety));
  const index = new BundleIndex(bundle);
  const first = sessions[0] as SessionView;
  const last = sessions.at(-1) as SessionView;
  const planned = [...sessions].reverse().find((v) => v.plan !== undefined);
  const end = last.session.dischargedAt ?? last.session.end ?? last.dose.end;
  const prescriptions = index.ofType('MedicationRequest').map((e) => prescriptionView(index, e.resource));
  return {
    episodeId: first.episodeId,
    clinic: first.clinic,
    patient: first.patient,
    ...(first.dose.start ? { period: { start: first.dose.start, ...(end ? { end } : {}) } } : {}),
    prescriptions,
    sessions: sessions.map(doseRow),
    scores: scoreTrajectories(index, new Set(), firstDoseStart(index)),
    suicideRisk: suicideRiskResults(index, new Set()),
    signals: attributedSignals(episodeSignals(bundle, clinicId), sessions),
    ...(planned?.plan ? { plan: { ...planned.plan, sessionId: planned.sessionId } } : {}),
    careTeam: {
      administeredBy: unique(sessions.map((v) => v.careTeam.administeredBy)),
      monitoredBy: unique(sessions.flatMap((v) => v.careTeam.monitoredBy)),
      prescribers: unique([...prescriptions.map((p) => p.prescriber), ...sessions.map((v) => v.careTeam.prescriber)]),
    },
  };
}
