/**
 * Change from baseline → FHIR R4 Observations (`kap-change-from-baseline`, docs/design/issue-13-contract.md
 * "Instruments"): one per PHQ-9 / GAD-7 / PCL-5 total dated after the baseline, so the EHR and the prescriber receive
 * response and remission as data rather than having to recompute them. Computed by src/instruments
 * (change-from-baseline.ts, rules of shared/reference/instruments.md §0–§3):
 * - baseline (project rule) = the score from the episode's assessment session, else the earliest score dated before
 *   the first dosing session's dose start (held or refused doses count: the rule names the session, not the dose);
 * - identifier `<qid>-change` (qid = the current score's questionnaire result), category survey, code
 *   `kap-observation#<inst>-change`;
 * - valueQuantity = percent change (baseline − current) / baseline × 100, one decimal, UCUM `%` (positive =
 *   improvement); absent when the baseline is 0;
 * - components `change-points` (valueInteger, baseline − current), `response` (valueBoolean, ≥ 50 %; absent when the
 *   baseline is 0), `remission` (PHQ-9, GAD-7: current < 5), `meaningful-improvement` (PCL-5: ≥ 10 points);
 * - derivedFrom = [baseline total Observation, current total Observation]; effectiveDateTime = the current score's
 *   authored time; encounter = the current score's session, when it has one.
 */
import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import {
  CHANGE_CODES,
  CHANGE_COMPONENT_CODES,
  CHANGE_DEFINITIONS,
  changesAfterBaseline,
  getInstrument,
  timeOf,
  type ChangeFromBaseline,
  type ChangeInstrumentId,
  type ScorePoint,
} from '../instruments/index.js';
import type { KapEpisode } from '../kap/episode.js';
import type { QuestionnaireResult } from '../kap/questionnaire-result.js';
import { coding } from '../terminology/coding.js';
import { UNIT_PERCENT } from '../terminology/units.js';
import { CATEGORY_SURVEY } from '../terminology/vital-signs.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/** The identifier suffix of a change-from-baseline Observation (`<qid>-change`, contract issue 13). */
export const CHANGE_SUFFIX = 'change';

/**
 * The dose start of the episode's first dosing session (the baseline cut-off), or undefined without one.
 * @param episode - the episode
 */
export function firstDoseAt(episode: KapEpisode): string | undefined {
  let first: { at: string; t: number } | undefined;
  for (const s of episode.sessions) {
    const t = s.kind === 'dosing' ? timeOf(s.doseStart) : undefined;
    if (s.kind === 'dosing' && t !== undefined && (!first || t < first.t)) {
      first = { at: s.doseStart, t };
    }
  }
  return first?.at;
}

/**
 * The scored totals of one instrument as score points (ref = the questionnaire result id).
 * @param episode - the episode
 * @param instrument - phq9 | gad7 | pcl5
 */
export function scorePoints(episode: KapEpisode, instrument: ChangeInstrumentId): ScorePoint[] {
  const assessments = new Set(episode.sessions.filter((s) => s.kind === 'assessment').map((s) => s.id));
  const out: ScorePoint[] = [];
  for (const q of episode.questionnaires) {
    if (q.instrument !== instrument) {
      continue;
    }
    const result = getInstrument(instrument).score(q.answers);
    if (!result.ok || result.total === undefined) {
      continue;
    }
    const assessment = q.sessionId !== undefined && assessments.has(q.sessionId);
    out.push({ total: result.total, effective: q.authored, ...(assessment ? { assessment: true } : {}), ref: q.id });
  }
  return out;
}

function component(code: keyof typeof CHANGE_COMPONENT_CODES, value: Pick<ObservationComponent, 'valueInteger' | 'valueBoolean'>): ObservationComponent {
  return { code: { coding: [coding(CHANGE_COMPONENT_CODES[code])] }, ...value };
}

function toObservation(change: ChangeFromBaseline, current: QuestionnaireResult, ctx: MapContext): Observation {
  const baselineId = change.baseline?.ref as string;
  const components: ObservationComponent[] = [component('changePoints', { valueInteger: change.change })];
  if (change.response !== undefined) {
    components.push(component('response', { valueBoolean: change.response }));
  }
  if (change.remission !== undefined) {
    components.push(component('remission', { valueBoolean: change.remission }));
  }
  if (change.meaningfulImprovement !== undefined) {
    components.push(component('meaningfulImprovement', { valueBoolean: change.meaningfulImprovement }));
  }
  return {
    resourceType: 'Observation',
    meta: metaProfile(PROFILES.changeFromBaseline),
    identifier: [ctx.identifier('Observation', `${current.id}-${CHANGE_SUFFIX}`)],
    status: 'final',
    category: [{ coding: [coding(CATEGORY_SURVEY)] }],
    code: { coding: [coding(CHANGE_CODES[change.instrument])] },
    subject: ctx.patient,
    ...(current.sessionId !== undefined ? { encounter: ctx.ref('Encounter', current.sessionId) } : {}),
    effectiveDateTime: current.authored,
    ...(change.percentChange !== undefined
      ? {
          valueQuantity: {
            value: change.percentChange,
            unit: UNIT_PERCENT.unit,
            system: UNIT_PERCENT.system,
            code: UNIT_PERCENT.code,
          },
        }
      : {}),
    derivedFrom: [ctx.ref('Observation', baselineId), ctx.ref('Observation', current.id)],
    component: components,
  };
}

/**
 * The change-from-baseline Observations of an episode: for PHQ-9, GAD-7 and PCL-5, one per scored total dated after
 * the baseline (none without a baseline or a later score).
 * @param episode - a parsed, valid episode
 * @param ctx - the mapping context
 */
export function toChangeFromBaselineObservations(episode: KapEpisode, ctx: MapContext): Observation[] {
  const cutoff = firstDoseAt(episode);
  const byId = new Map(episode.questionnaires.map((q) => [q.id, q]));
  const out: Observation[] = [];
  for (const instrument of Object.keys(CHANGE_DEFINITIONS) as ChangeInstrumentId[]) {
    for (const change of changesAfterBaseline(instrument, scorePoints(episode, instrument), cutoff)) {
      const current = change.current?.ref === undefined ? undefined : byId.get(change.current.ref);
      if (current && change.baseline?.ref !== undefined) {
        out.push(toObservation(change, current, ctx));
      }
    }
  }
  return out;
}
