/**
 * Change from baseline per instrument over an episode (instruments.md §0–§3): baseline (project rule) = the score
 * from the assessment session, else the earliest score dated before the first dosing session; percent change =
 * (baseline − current) / baseline × 100; response = ≥ 50 % reduction; remission = current below the instrument's
 * threshold (PHQ-9 < 5 NCQA HEDIS; GAD-7 < 5 project rule); PCL-5: clinically meaningful improvement ≥ 10 points
 * (project default, Blanchard et al. 2023), no remission definition. No baseline, or baseline 0 → no percent change,
 * no response. The result is an episode summary object; src/fhir/change-from-baseline.ts makes the Observations
 * (one per total after the baseline, from {@link changesAfterBaseline}).
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { KAP_SESSION_TYPE } from '../terminology/systems.js';
import { BundleIndex } from '../bundle-index.js';
import { timeOf } from './date-time.js';
import { GAD7_REMISSION_BELOW } from './gad-7.js';
import { PCL5_MEANINGFUL_IMPROVEMENT } from './pcl-5.js';
import { PHQ9_REMISSION_BELOW } from './phq-9.js';
import { getInstrument } from './registry.js';

/** Instruments with a change-from-baseline definition. */
export type ChangeInstrumentId = 'phq9' | 'gad7' | 'pcl5';

/** The change definitions of one instrument. */
export interface ChangeDefinition {
  /** Response = reduction ≥ this percent of baseline (default 50). */
  responsePercent: number;
  /** Remission = current total < this (undefined: no remission definition). */
  remissionBelow?: number;
  /** Meaningful improvement = baseline − current ≥ this many points (PCL-5). */
  meaningfulImprovementPoints?: number;
}

/** Default definitions (sources in the module comment and docs/instruments.md). */
export const CHANGE_DEFINITIONS: Readonly<Record<ChangeInstrumentId, ChangeDefinition>> = {
  phq9: { responsePercent: 50, remissionBelow: PHQ9_REMISSION_BELOW },
  gad7: { responsePercent: 50, remissionBelow: GAD7_REMISSION_BELOW },
  pcl5: { responsePercent: 50, meaningfulImprovementPoints: PCL5_MEANINGFUL_IMPROVEMENT },
};

/** One total score in time. */
export interface ScorePoint {
  total: number;
  /** FHIR dateTime of the score. */
  effective: string;
  /** True when taken in the episode's assessment session. */
  assessment?: boolean;
  /** The score's reference (fullUrl), for traceability. */
  ref?: string;
}

/** Change from baseline of one instrument. */
export interface ChangeFromBaseline {
  instrument: ChangeInstrumentId;
  baseline?: ScorePoint;
  /** The latest score after the baseline. */
  current?: ScorePoint;
  /** baseline − current (positive = improvement). */
  change?: number;
  /** (baseline − current) / baseline × 100, one decimal. */
  percentChange?: number;
  response?: boolean;
  remission?: boolean;
  meaningfulImprovement?: boolean;
}

function byTime(a: ScorePoint, b: ScorePoint): number {
  return (timeOf(a.effective) ?? 0) - (timeOf(b.effective) ?? 0);
}

/**
 * The baseline among an instrument's scores (instruments.md §0, project rule): the score from the episode's assessment
 * session (the earliest, if several), else the earliest score dated before the first dosing session (any score when
 * there is no dosing session yet).
 * @param points - the episode's totals of one instrument
 * @param firstDoseAt - start of the first dose (FHIR dateTime), if any
 */
export function baselineOf(points: readonly ScorePoint[], firstDoseAt?: string): ScorePoint | undefined {
  const sorted = [...points].sort(byTime);
  const firstDose = timeOf(firstDoseAt);
  return (
    sorted.find((p) => p.assessment) ??
    sorted.find((p) => firstDose === undefined || (timeOf(p.effective) ?? Infinity) < firstDose)
  );
}

/**
 * The change of one score against the baseline: points, percent change and response (baseline > 0 only), remission,
 * meaningful improvement.
 * @param instrument - phq9 | gad7 | pcl5
 * @param baseline - the baseline score
 * @param current - a later score
 * @param definition - overrides of the default definition
 */
export function changeAgainst(
  instrument: ChangeInstrumentId,
  baseline: ScorePoint,
  current: ScorePoint,
  definition: Partial<ChangeDefinition> = {}
): ChangeFromBaseline {
  const def = { ...CHANGE_DEFINITIONS[instrument], ...definition };
  const change = baseline.total - current.total;
  const out: ChangeFromBaseline = { instrument, baseline, current, change };
  if (baseline.total > 0) {
    out.percentChange = Math.round((change / baseline.total) * 1000) / 10;
    out.response = change * 100 >= def.responsePercent * baseline.total;
  }
  if (def.remissionBelow !== undefined) {
    out.remission = current.total < def.remissionBelow;
  }
  if (def.meaningfulImprovementPoints !== undefined) {
    out.meaningfulImprovement = change >= def.meaningfulImprovementPoints;
  }
  return out;
}

/**
 * The change of every score dated after the baseline, in time order (one per later total: what the episode's
 * change-from-baseline Observations carry). Empty without a baseline.
 * @param instrument - phq9 | gad7 | pcl5
 * @param points - the episode's totals
 * @param firstDoseAt - start of the first dose (FHIR dateTime), if any
 * @param definition - overrides of the default definition
 */
export function changesAfterBaseline(
  instrument: ChangeInstrumentId,
  points: readonly ScorePoint[],
  firstDoseAt?: string,
  definition: Partial<ChangeDefinition> = {}
): ChangeFromBaseline[] {
  const baseline = baselineOf(points, firstDoseAt);
  if (!baseline) {
    return [];
  }
  return [...points]
    .sort(byTime)
    .filter((p) => p !== baseline && byTime(p, baseline) > 0)
    .map((p) => changeAgainst(instrument, baseline, p, definition));
}

/**
 * Change from baseline over an episode's scores of one instrument: the latest score after the baseline against it.
 * @param instrument - phq9 | gad7 | pcl5
 * @param points - the episode's totals
 * @param firstDoseAt - start of the first dosing session (FHIR dateTime), if any
 * @param definition - overrides of the default definition
 */
export function changeFromBaseline(
  instrument: ChangeInstrumentId,
  points: readonly ScorePoint[],
  firstDoseAt?: string,
  definition: Partial<ChangeDefinition> = {}
): ChangeFromBaseline {
  const latest = changesAfterBaseline(instrument, points, firstDoseAt, definition).at(-1);
  if (latest) {
    return latest;
  }
  const baseline = baselineOf(points, firstDoseAt);
  return baseline ? { instrument, baseline } : { instrument };
}

/**
 * Change from baseline for every instrument with scores in a mapped episode Bundle: reads the total-score
 * Observations (code = the instrument's total code, valueInteger), marks those whose encounter is the assessment
 * session (`kap-session-type#assessment`), and takes the first dosing time from the MedicationAdministrations.
 * @param bundle - the episode's transaction Bundle
 */
export function episodeChangeFromBaseline(bundle: Bundle): ChangeFromBaseline[] {
  const index = new BundleIndex(bundle);
  const doseTimes = index
    .ofType('MedicationAdministration')
    .map((e) => timeOf(e.resource.effectiveDateTime ?? e.resource.effectivePeriod?.start))
    .filter((t): t is number => t !== undefined);
  const firstDoseAt = doseTimes.length > 0 ? new Date(Math.min(...doseTimes)).toISOString() : undefined;
  const out: ChangeFromBaseline[] = [];
  for (const id of Object.keys(CHANGE_DEFINITIONS) as ChangeInstrumentId[]) {
    const total = getInstrument(id).totalCode;
    const points: ScorePoint[] = index
      .ofType('Observation')
      .filter((e) => isTotal(e.resource, total.system, total.code) && e.resource.effectiveDateTime)
      .map((e) => {
        const encounter = index.resolve(e.resource.encounter)?.resource;
        const assessment =
          encounter?.resourceType === 'Encounter' &&
          (encounter.type ?? []).some((t) => t.coding?.some((c) => c.system === KAP_SESSION_TYPE && c.code === 'assessment'));
        return {
          total: e.resource.valueInteger as number,
          effective: e.resource.effectiveDateTime as string,
          ...(assessment ? { assessment: true } : {}),
          ref: e.ref,
        };
      });
    if (points.length > 0) {
      out.push(changeFromBaseline(id, points, firstDoseAt));
    }
  }
  return out;
}

function isTotal(o: Observation, system: string | undefined, code: string | undefined): boolean {
  return (
    o.valueInteger !== undefined &&
    o.status !== 'entered-in-error' &&
    (o.code.coding ?? []).some((c) => c.system === system && c.code === code)
  );
}
