/**
 * What a prescriber's per-session Bundle carries beyond the dose itself (docs/sync.md "What the prescriber receives"):
 * the dosing session's own questionnaire scores, chosen by a time window, the change from baseline so far, what the
 * clinic recorded in that session (medication review, screening) and the safety signals about any of it.
 *
 * The windows of the dosing sessions are disjoint and cover the whole episode. The gap between two consecutive
 * dosing sessions A and B is split 24 hours before B starts (or at A's end when the gap is shorter): what was scored
 * in the last 24 hours before B is B's pre-dose picture, what was scored earlier is "what followed" A. The first
 * session's window opens at the beginning of the episode, the last one's never closes. So a score taken on the morning
 * of a dose belongs to that dose, and a session of 12 October never carries a PHQ-9 of 9 November while a later dose
 * exists. Change from baseline: the change Observations whose current score is in the window, and for an
 * instrument with none there, the latest change Observation before the window (the change so far).
 */
import type { Bundle, Encounter, MedicationAdministration, Observation, Reference } from '@medplum/fhirtypes';
import { BundleIndex, type IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapProfile } from '../terminology/systems.js';

const SCORE_PROFILE = kapProfile('kap-instrument-score');
const CHANGE_PROFILE = kapProfile('kap-change-from-baseline');
const REMS_PROFILE = kapProfile('kap-rems-monitoring-response');

/** The pre-dose part of a gap between two dosing sessions: the last 24 hours before the later one. */
const PRE_DOSE_MS = 24 * 3_600_000;

/** A dosing session as the window rule sees it. */
interface DoseWindow {
  ma: IndexedEntry<MedicationAdministration>;
  start: number;
  end: number;
}

const hasProfile = (r: { meta?: { profile?: string[] } }, profile: string): boolean => !!r.meta?.profile?.includes(profile);

function codeKey(o: Observation): string {
  return (o.code.coding ?? []).map((c) => `${c.system}|${c.code}`).join(',');
}

/** The dosing sessions of a Bundle in time order, each with its start and end instants. */
function doseWindows(index: BundleIndex): DoseWindow[] {
  const out: DoseWindow[] = [];
  for (const ma of index.ofType('MedicationAdministration')) {
    const encounter = index.resolve(ma.resource.context)?.resource as Encounter | undefined;
    const doseStart = timeOf(ma.resource.effectiveDateTime ?? ma.resource.effectivePeriod?.start);
    const start = timeOf(encounter?.period?.start) ?? doseStart;
    if (start === undefined) {
      continue;
    }
    const end = timeOf(encounter?.period?.end) ?? doseStart ?? start;
    out.push({ ma, start, end });
  }
  return out.sort((a, b) => a.start - b.start || a.ma.index - b.ma.index);
}

/** The index and dose windows of a Bundle, made once per Bundle: an episode's sessions are cut one after another. */
const CONTEXTS = new WeakMap<Bundle, { index: BundleIndex; windows: DoseWindow[] }>();

function contextOf(bundle: Bundle): { index: BundleIndex; windows: DoseWindow[] } {
  let context = CONTEXTS.get(bundle);
  if (!context) {
    const index = new BundleIndex(bundle);
    context = { index, windows: doseWindows(index) };
    CONTEXTS.set(bundle, context);
  }
  return context;
}

/**
 * The fullUrls a dosing session's prescriber Bundle starts from besides the MA and what is `partOf` it: scores in its
 * window, the QuestionnaireResponses they come from or authored in the window (scored or not), what is derived from
 * those responses (such as the PHQ-9 item 9 Observation), the change
 * from baseline so far, the session Encounter's MedicationStatements and other Observations (screening), and the
 * DetectedIssues and Communications about any picked resource — except that a DetectedIssue naming a dose
 * (MedicationAdministration) goes only with the session of the first dose it names: a signal about two doses
 * (esketamine-two-doses-same-day, dose-interval-short: the later dose first) reaches the later dose's prescriber
 * Bundle, not the earlier one's. The earlier dose it cites still comes along there as a referenced resource (an
 * upsert by identifier, no duplicate).
 * @param bundle - the episode Bundle
 * @param maUrl - the session's MedicationAdministration fullUrl
 * @param picked - fullUrls already chosen (the MA, vitals, side effects)
 */
export function sessionFindings(bundle: Bundle, maUrl: string, picked: readonly string[]): string[] {
  const { index, windows } = contextOf(bundle);
  const at = windows.findIndex((w) => w.ma.fullUrl === maUrl);
  if (at < 0) {
    return [];
  }
  const opens = (i: number): number => (i === 0 ? -Infinity : Math.max(windows[i - 1].end, windows[i].start - PRE_DOSE_MS));
  const from = opens(at);
  const until = at === windows.length - 1 ? Infinity : opens(at + 1);
  const inWindow = (o: Pick<Observation, 'effectiveDateTime' | 'effectivePeriod'>): boolean => {
    const t = timeOf(o.effectiveDateTime ?? o.effectivePeriod?.start);
    return t !== undefined && t >= from && t < until;
  };
  const observations = index.ofType('Observation').filter((o) => o.resource.status !== 'entered-in-error');
  const out = new Set<string>();
  const add = (e: IndexedEntry | undefined): void => {
    if (e?.fullUrl) {
      out.add(e.fullUrl);
    }
  };

  const scores = observations.filter((o) => hasProfile(o.resource, SCORE_PROFILE) && inWindow(o.resource));
  scores.forEach(add);
  // the session's questionnaire responses: those its scores come from, and any authored in its window (a PHQ-9 with
  // item 9 blank has no total score, yet it and its signal belong to the session)
  const scored = new Set(scores.flatMap((o) => (o.resource.derivedFrom ?? []).map((r) => index.resolve(r)?.ref)));
  const ownResponses = index
    .ofType('QuestionnaireResponse')
    .filter((q) => !hasProfile(q.resource, REMS_PROFILE) && q.resource.status !== 'entered-in-error')
    .filter((q) => scored.has(q.ref) || inWindow({ effectiveDateTime: q.resource.authored }));
  ownResponses.forEach(add);
  const responses = new Set(ownResponses.map((q) => q.ref));
  for (const o of observations) {
    if (!hasProfile(o.resource, CHANGE_PROFILE) && (o.resource.derivedFrom ?? []).some((r) => responses.has(index.resolve(r)?.ref ?? ''))) {
      add(o); // derived from a picked response: the PHQ-9 item 9 Observation
    }
  }
  const scoreUrls = new Set(scores.map((s) => s.ref));
  const current = (o: Observation): string | undefined => index.resolve((o.derivedFrom ?? []).at(-1))?.ref;
  const changes = observations.filter((o) => hasProfile(o.resource, CHANGE_PROFILE));
  const covered = new Set<string>();
  for (const c of changes) {
    if (scoreUrls.has(current(c.resource) ?? '')) {
      add(c);
      covered.add(codeKey(c.resource));
    }
  }
  const before = new Map<string, IndexedEntry<Observation>>();
  for (const c of changes) {
    const t = timeOf(c.resource.effectiveDateTime);
    const key = codeKey(c.resource);
    if (covered.has(key) || t === undefined || t >= from) {
      continue;
    }
    const prev = before.get(key);
    if (!prev || t >= (timeOf(prev.resource.effectiveDateTime) ?? -Infinity)) {
      before.set(key, c);
    }
  }
  before.forEach(add);

  const encounter = index.resolve(windows[at].ma.resource.context)?.ref;
  if (encounter !== undefined) {
    const ofSession = (r: Reference | undefined): boolean => r !== undefined && index.resolve(r)?.ref === encounter;
    index.ofType('MedicationStatement').filter((m) => ofSession(m.resource.context)).forEach(add);
    observations.filter((o) => ofSession(o.resource.encounter) && !hasProfile(o.resource, SCORE_PROFILE)).forEach(add);
    // the session's summary: its Composition and the DocumentReference with the PDF (src/summary/session-summaries.ts)
    index.ofType('Composition').filter((c) => ofSession(c.resource.encounter)).forEach(add);
    index.ofType('DocumentReference').filter((d) => (d.resource.context?.encounter ?? []).some(ofSession)).forEach(add);
    // and, for esketamine, its Spravato REMS monitoring record (src/rems)
    index
      .ofType('QuestionnaireResponse')
      .filter((q) => ofSession(q.resource.encounter) && hasProfile(q.resource, REMS_PROFILE))
      .forEach(add);
  }

  const chosen = new Set([...picked, ...out]);
  const maRef = windows[at].ma.ref;
  const issues = index.ofType('DetectedIssue').filter((d) => {
    const implicated = (d.resource.implicated ?? []).map((r) => index.resolve(r));
    // a signal naming doses is about the first dose it names (the later dose, the one that broke the rule:
    // src/safety/frequency-signals.ts), and goes with that dose's session only
    const firstDose = implicated.find((e) => e?.resource.resourceType === 'MedicationAdministration');
    if (firstDose) {
      return firstDose.ref === maRef;
    }
    return implicated.some((e) => chosen.has(e?.ref ?? ''));
  });
  issues.forEach(add);
  const issueUrls = new Set(issues.map((d) => d.ref));
  index
    .ofType('Communication')
    .filter((c) => (c.resource.about ?? []).some((r) => issueUrls.has(index.resolve(r)?.ref ?? '')))
    .forEach(add);
  return [...out];
}
