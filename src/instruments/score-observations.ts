/**
 * The Observations a scored response yields (docs/conventions.md "Observation instrument total"): the total score
 * (profile kap-instrument-score; CADSS-6 → kap-dissociation-score — declared when subject and identifier are known,
 * which those profiles require) and, for the C-SSRS screener, the risk
 * Observation (LOINC 93374-7, valueCodeableConcept `kap-cssrs-risk`). Category survey, derivedFrom the response,
 * effectiveDateTime = authored, interpretation = the severity band; components as src/instruments/score-components.ts
 * (PCL-5 clusters and DSM-5 provisional diagnosis, C-SSRS contradiction). For a PHQ-9 with item 9 answered, the
 * item 9 Observation too (LOINC 44260-8, valueCodeableConcept = the LA answer coding; profile kap-phq9-item9).
 */
import type { CodeableConcept, Identifier, Observation } from '@medplum/fhirtypes';
import { kapProfile, OBSERVATION_CATEGORY } from '../terminology/systems.js';
import { CSSRS_RISK_CODE } from './cssrs-screen.js';
import { PHQ9_ITEM9_CODE } from './observation-codes.js';
import { phq9Item9Coding } from './phq-9.js';
import { scoreComponents } from './score-components.js';
import type { Instrument, ScoreResult } from './types.js';

/** Context of the score Observations. */
export interface ObservationContext {
  /** Reference to the QuestionnaireResponse (fullUrl or `QuestionnaireResponse/<id>`). */
  derivedFrom?: string;
  authored: string;
  subject?: Observation['subject'];
  encounter?: Observation['encounter'];
  /** Business identifier of the response: the Observations get `<value>-total` / `<value>-risk`. */
  identifier?: Identifier;
}

/** The `survey` Observation category. */
export const SURVEY_CATEGORY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }],
};

function base(ctx: ObservationContext, suffix: string, profile: string | undefined): Observation {
  const obs: Observation = { resourceType: 'Observation', status: 'final', code: { coding: [] } };
  if (profile && ctx.subject && ctx.identifier) {
    // the KAP score profiles require subject and identifier: declared only when both are known
    obs.meta = { profile: [kapProfile(profile)] };
  }
  if (ctx.identifier) {
    obs.identifier = [{ ...ctx.identifier, value: `${ctx.identifier.value}-${suffix}` }];
  }
  obs.category = [structuredClone(SURVEY_CATEGORY)];
  if (ctx.subject) {
    obs.subject = { ...ctx.subject };
  }
  if (ctx.encounter) {
    obs.encounter = { ...ctx.encounter };
  }
  obs.effectiveDateTime = ctx.authored;
  return obs;
}

/**
 * Builds the score Observations of a successful score (none for a refusal).
 * @param instrument - the instrument
 * @param result - its score result
 * @param ctx - derivedFrom, authored, subject, encounter, identifier
 * @param answers - the item scores (for the PHQ-9 item 9 Observation; none without them)
 */
export function scoreObservations(
  instrument: Instrument,
  result: ScoreResult,
  ctx: ObservationContext,
  answers?: Record<string, number | null>
): Observation[] {
  if (!result.ok) {
    return [];
  }
  const out: Observation[] = [];
  const derivedFrom = ctx.derivedFrom ? { derivedFrom: [{ reference: ctx.derivedFrom }] } : {};
  const components = scoreComponents(instrument.id, result);
  const component = components.length > 0 ? { component: components } : {};
  if (result.total !== undefined) {
    const profile = instrument.id === 'cadss6' ? 'kap-dissociation-score' : 'kap-instrument-score';
    const obs = base(ctx, 'total', profile);
    obs.code = { coding: [{ ...instrument.totalCode }] };
    obs.valueInteger = result.total;
    if (result.band) {
      obs.interpretation = [{ coding: [{ ...result.band }] }];
    }
    out.push({ ...obs, ...derivedFrom, ...component });
  }
  if (result.risk) {
    // No KAP profile covers the risk Observation yet (kap-instrument-score is integer-valued): none declared.
    const obs = base(ctx, 'risk', undefined);
    obs.code = { coding: [{ ...CSSRS_RISK_CODE }] };
    obs.valueCodeableConcept = { coding: [{ ...result.risk }] };
    out.push({ ...obs, ...derivedFrom, ...component });
  }
  const item9 = instrument.id === 'phq9' && answers ? phq9Item9Coding(answers) : undefined;
  if (item9) {
    const obs = base(ctx, 'item9', 'kap-phq9-item9');
    obs.code = { coding: [{ ...PHQ9_ITEM9_CODE }] };
    obs.valueCodeableConcept = { coding: [item9] };
    out.push({ ...obs, ...derivedFrom });
  }
  return out;
}
