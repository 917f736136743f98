/**
 * The score trajectories of an episode for the session view (issue 14): every PHQ-9, GAD-7 and PCL-5 total
 * (`kap-instrument-score` Observations, not entered in error) in time order, each with its severity band as recorded
 * (the Observation's `kap-severity-band` interpretation), and the change from baseline as the episode's
 * `kap-change-from-baseline` Observations carry it: the change Observation whose last `derivedFrom` is a score gives
 * that score's percent change, response and remission; the first `derivedFrom` of the change Observations is the
 * baseline (docs/instruments.md §0). With no change Observation (one score only), the baseline is found by the same
 * project rule (src/instruments/change-from-baseline.ts `baselineOf`). The instrument's responses that could not be
 * scored (src/summary/read-unscored-responses.ts) come with it, as table rows without a chart point.
 */
import type { Encounter, Observation } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { baselineOf } from '../instruments/change-from-baseline.js';
import { timeOf } from '../instruments/date-time.js';
import { GAD7_BANDS } from '../instruments/gad-7.js';
import { PHQ9_BANDS } from '../instruments/phq-9.js';
import { severityBand, type BandRange } from '../instruments/severity-band.js';
import { byEffectiveTime, hasCoding, usable } from '../safety/episode-view.js';
import { KAP_OBSERVATION, KAP_SESSION_TYPE, LOINC } from '../terminology/systems.js';
import { displayOf, hasKapProfile, localIdOf } from './read-fhir.js';
import { unscoredResponses } from './read-unscored-responses.js';
import type { ScorePoint, ScoreTrajectory } from './session-view.js';

/** What the view knows of each trajectory instrument: the total's LOINC code, title, maximum and bands. */
const INSTRUMENTS: readonly { instrument: ScoreTrajectory['instrument']; loinc: string; title: string; max: number; bands: readonly BandRange[] }[] = [
  { instrument: 'phq9', loinc: '44261-6', title: 'PHQ-9', max: 27, bands: PHQ9_BANDS },
  { instrument: 'gad7', loinc: '70274-6', title: 'GAD-7', max: 21, bands: GAD7_BANDS },
  // PCL-5: no severity bands, the provisional-PTSD cut-off only (src/instruments/pcl-5.ts).
  { instrument: 'pcl5', loinc: '101698-9', title: 'PCL-5', max: 80, bands: [] },
];

/** The change-from-baseline Observation's boolean component of a `kap-observation` code, if any. */
function changeFlag(o: Observation, code: string): boolean | undefined {
  return o.component?.find((c) => hasCoding(c.code.coding, KAP_OBSERVATION, code))?.valueBoolean;
}

/** True when the score was taken in an assessment session (its Encounter's `kap-session-type` is `assessment`). */
function inAssessment(index: BundleIndex, o: Observation): boolean {
  const e = index.resolve(o.encounter)?.resource as Encounter | undefined;
  return e?.resourceType === 'Encounter' && (e.type ?? []).some((t) => hasCoding(t.coding, KAP_SESSION_TYPE, 'assessment'));
}

/**
 * The trajectories of the instruments the episode has totals or unscored responses of (others are left out).
 * @param index - the episode Bundle index
 * @param sessionScores - refs (fullUrls) of the scores and responses in this session's window (src/sync/session-findings.ts)
 * @param firstDoseAt - the start of the episode's first dose, for the baseline rule when no change Observation exists
 */
export function scoreTrajectories(index: BundleIndex, sessionScores: ReadonlySet<string>, firstDoseAt?: string): ScoreTrajectory[] {
  const observations = index.ofType('Observation').filter((o) => usable(o.resource));
  const changes = observations.filter((o) => hasKapProfile(o.resource, 'kap-change-from-baseline'));
  const changeOf = new Map<string, Observation>();
  const baselines = new Set<string>();
  for (const c of byEffectiveTime(changes)) {
    const from = c.resource.derivedFrom ?? [];
    const baseline = index.resolve(from[0])?.ref;
    const current = index.resolve(from.at(-1))?.ref;
    if (baseline !== undefined) {
      baselines.add(baseline);
    }
    if (current !== undefined && current !== baseline) {
      changeOf.set(current, c.resource);
    }
  }
  const out: ScoreTrajectory[] = [];
  for (const def of INSTRUMENTS) {
    const scores = byEffectiveTime(
      observations.filter((o) => hasKapProfile(o.resource, 'kap-instrument-score') && hasCoding(o.resource.code.coding, LOINC, def.loinc))
    ).filter((o) => typeof o.resource.valueInteger === 'number' || typeof o.resource.valueQuantity?.value === 'number');
    const unscored = unscoredResponses(index, def.instrument, sessionScores);
    if (scores.length === 0 && unscored.length === 0) {
      continue;
    }
    const baselineRef = scores.some((s) => baselines.has(s.ref)) ? undefined : fallbackBaseline(index, scores, firstDoseAt);
    out.push({
      instrument: def.instrument,
      title: def.title,
      max: def.max,
      bands: def.bands.map((b) => [b.min, b.max, severityBand(b.code).display ?? b.code]),
      points: scores.map((s) => scorePoint(s, baselines.has(s.ref) || s.ref === baselineRef, changeOf.get(s.ref), sessionScores.has(s.ref))),
      unscored,
    });
  }
  return out;
}

/** The baseline by the project rule, for an instrument no change Observation speaks of. */
function fallbackBaseline(index: BundleIndex, scores: IndexedEntry<Observation>[], firstDoseAt?: string): string | undefined {
  const points = scores.map((s) => ({
    total: totalOf(s.resource),
    effective: s.resource.effectiveDateTime ?? '',
    assessment: inAssessment(index, s.resource),
    ref: s.ref,
  }));
  return baselineOf(points.filter((p) => timeOf(p.effective) !== undefined), firstDoseAt)?.ref;
}

function totalOf(o: Observation): number {
  return o.valueInteger ?? o.valueQuantity?.value ?? 0;
}

/** One point of a trajectory. */
function scorePoint(s: IndexedEntry<Observation>, baseline: boolean, change: Observation | undefined, thisSession: boolean): ScorePoint {
  const band = displayOf(s.resource.interpretation?.[0]);
  const point: ScorePoint = {
    id: localIdOf(s.resource) ?? s.ref,
    time: s.resource.effectiveDateTime ?? '',
    total: totalOf(s.resource),
    ...(band !== undefined ? { band } : {}),
    baseline,
    thisSession,
  };
  if (change) {
    const percent = change.valueQuantity?.value;
    const response = changeFlag(change, 'response');
    const remission = changeFlag(change, 'remission');
    if (percent !== undefined) {
      point.percentChange = percent;
    }
    if (response !== undefined) {
      point.response = response;
    }
    if (remission !== undefined) {
      point.remission = remission;
    }
  }
  return point;
}
