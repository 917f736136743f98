/**
 * Questionnaire safety rules, read from the QuestionnaireResponses (any status but entered-in-error, so a response
 * kept as `stopped` for a blank required item is read too):
 * - PHQ-9 item 9 ≥ 1 → urgent (instruments.md §1, project rule);
 * - PHQ-9 item 9 unanswered → attention (`phq9-item9-unanswered`, issue 13; project rule, no published source: the
 *   self-harm item left blank cannot be read as "no", and the total is not scored without it, so someone must ask);
 * - C-SSRS screener (both versions) risk high → urgent, moderate / low → attention (instruments.md §4, configurable);
 *   the risk follows the highest answer given, even where the branching would have skipped the item;
 * - C-SSRS answers contradicting each other (Q2 = No with Q3–Q5 = Yes; Q6 = No with 6b = Yes) → attention
 *   (`cssrs-inconsistent`, issue 13; project rule, no published source), besides the risk signal.
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { cssrsInconsistent, cssrsRiskLevel, type CssrsVersion } from '../instruments/cssrs-screen.js';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { PHQ9_SUICIDE_ITEM } from '../instruments/phq-9.js';
import { answeredScores, instrumentOfResponse } from '../instruments/response-answers.js';
import type { InstrumentId } from '../instruments/types.js';
import type { SafetyConfig } from './config.js';
import type { SafetySignal } from './types.js';


function responses(index: BundleIndex, id: InstrumentId): IndexedEntry<QuestionnaireResponse>[] {
  return index
    .ofType('QuestionnaireResponse')
    .filter((e) => e.resource.status !== 'entered-in-error' && instrumentOfResponse(e.resource) === id);
}

/** PHQ-9 item 9 (thoughts of death or self-harm) scored ≥ 1 → urgent. */
export function phq9Item9Signals(index: BundleIndex): SafetySignal[] {
  return responses(index, 'phq9')
    .filter((e) => (answeredScores(e.resource, 'phq9')[PHQ9_SUICIDE_ITEM] ?? 0) >= 1)
    .map((e) => ({ rule: 'phq9-item9-positive', severity: 'urgent', resources: [e.ref] }));
}

/**
 * PHQ-9 item 9 left unanswered → attention: one signal per PHQ-9 response without an item 9 answer (an answer that is
 * no option of the item counts as unanswered).
 */
export function phq9Item9UnansweredSignals(index: BundleIndex): SafetySignal[] {
  return responses(index, 'phq9')
    .filter((e) => answeredScores(e.resource, 'phq9')[PHQ9_SUICIDE_ITEM] === undefined)
    .map((e) => ({ rule: 'phq9-item9-unanswered', severity: 'attention', resources: [e.ref] }));
}

/** The C-SSRS screener versions and the instrument id of each. */
const CSSRS_VERSIONS: readonly [InstrumentId, CssrsVersion][] = [
  ['cssrs-screen', 'recent'],
  ['cssrs-since-last-visit', 'since-last-visit'],
];

/**
 * C-SSRS screener risk (Columbia triage), both versions: one signal per response at its risk level, the highest level
 * any given answer reaches. Incomplete responses are read at the worst case of what was answered (e.g. Q6 Yes without
 * 6b counts as high).
 */
export function cssrsSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const [id, version] of CSSRS_VERSIONS) {
    for (const e of responses(index, id)) {
      const level = cssrsRiskLevel(answeredScores(e.resource, id), version);
      if (level !== 'none') {
        out.push({ rule: `cssrs-${level}`, severity: config.cssrsSeverity[level], resources: [e.ref] });
      }
    }
  }
  return out;
}

/** C-SSRS answers that contradict each other (both versions) → attention, one signal per response. */
export function cssrsInconsistentSignals(index: BundleIndex): SafetySignal[] {
  return CSSRS_VERSIONS.flatMap(([id]) =>
    responses(index, id)
      .filter((e) => cssrsInconsistent(answeredScores(e.resource, id)))
      .map((e): SafetySignal => ({ rule: 'cssrs-inconsistent', severity: 'attention', resources: [e.ref] }))
  );
}
