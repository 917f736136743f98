/**
 * Questionnaire safety rules: PHQ-9 item 9 ≥ 1 → urgent (instruments.md §1, project rule); C-SSRS screener risk
 * high → urgent, moderate / low → attention (instruments.md §4, configurable). Read from the QuestionnaireResponses.
 */
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { cssrsRiskLevel } from '../instruments/cssrs-screen.js';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { PHQ9_SUICIDE_ITEM } from '../instruments/phq-9.js';
import { getInstrument } from '../instruments/registry.js';
import { answerScore, instrumentOfResponse } from '../instruments/response-answers.js';
import type { InstrumentId } from '../instruments/types.js';
import type { SafetyConfig } from './config.js';
import type { SafetySignal } from './types.js';

/**
 * Item scores of a response, leniently: answers matching no option are skipped (a safety read must not stop at a
 * malformed item), nested items included.
 */
function scores(qr: QuestionnaireResponse, id: InstrumentId): Record<string, number | null> {
  const items = getInstrument(id).items;
  const out: Record<string, number | null> = {};
  const walk = (list: QuestionnaireResponse['item']): void => {
    for (const it of list ?? []) {
      const item = items.find((i) => i.linkId === it.linkId);
      const score = item ? answerScore(item, it.answer) : undefined;
      if (item && score !== undefined && score !== null) {
        out[item.linkId] = score;
      }
      walk(it.item);
      for (const a of it.answer ?? []) {
        walk(a.item);
      }
    }
  };
  walk(qr.item);
  return out;
}

function responses(index: BundleIndex, id: InstrumentId): IndexedEntry<QuestionnaireResponse>[] {
  return index
    .ofType('QuestionnaireResponse')
    .filter((e) => e.resource.status !== 'entered-in-error' && instrumentOfResponse(e.resource) === id);
}

/** PHQ-9 item 9 (thoughts of death or self-harm) scored ≥ 1 → urgent. */
export function phq9Item9Signals(index: BundleIndex): SafetySignal[] {
  return responses(index, 'phq9')
    .filter((e) => (scores(e.resource, 'phq9')[PHQ9_SUICIDE_ITEM] ?? 0) >= 1)
    .map((e) => ({ rule: 'phq9-item9-positive', severity: 'urgent', resources: [e.ref] }));
}

/**
 * C-SSRS screener risk (Columbia triage): one signal per response at its risk level. Incomplete responses are
 * read at the worst case of what was answered (e.g. Q6 Yes without 6b counts as high).
 */
export function cssrsSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const e of responses(index, 'cssrs-screen')) {
    const level = cssrsRiskLevel(scores(e.resource, 'cssrs-screen'));
    if (level !== 'none') {
      out.push({ rule: `cssrs-${level}`, severity: config.cssrsSeverity[level], resources: [e.ref] });
    }
  }
  return out;
}
