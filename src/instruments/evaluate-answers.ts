/**
 * Shared answer checks (instruments.md §0): applicability through enableWhen, missing items (refuse, never prorate),
 * values that are not an answer option's score, unknown linkIds, and the plain sum of item scores.
 */
import type { InstrumentItem, ScoreResult } from './types.js';
import { bandFor, type BandRange } from './severity-band.js';

/** The outcome of checking a set of answers against an instrument's items. */
export interface AnswerCheck {
  /** Valid answered scores of applicable items, by linkId. */
  values: Map<string, number>;
  /** Required applicable items without an answer. */
  missing: string[];
  /** Items whose value is not one of their options' scores. */
  invalid: string[];
  /** Keys that are no item of the instrument. */
  unknown: string[];
}

/**
 * True when the item applies: no enableWhen, or any of its conditions holds on the given answers
 * (C-SSRS items skipped by design are *not applicable*, not missing — instruments.md §0).
 */
export function isApplicable(item: InstrumentItem, answers: Record<string, number | null>): boolean {
  if (!item.enableWhen || item.enableWhen.length === 0) {
    return true;
  }
  return item.enableWhen.some((c) => answers[c.question] === c.answerScore);
}

/**
 * Checks answers (item scores keyed by linkId, `null` = unanswered) against the items.
 * @param items - the instrument's items
 * @param answers - the answers
 */
export function checkAnswers(items: readonly InstrumentItem[], answers: Record<string, number | null>): AnswerCheck {
  const values = new Map<string, number>();
  const missing: string[] = [];
  const invalid: string[] = [];
  const known = new Set(items.map((i) => i.linkId));
  const unknown = Object.keys(answers).filter((k) => !known.has(k));
  for (const item of items) {
    const raw: unknown = answers[item.linkId];
    const given = raw !== null && raw !== undefined;
    if (given && !(typeof raw === 'number' && item.options.some((o) => o.score === raw))) {
      invalid.push(item.linkId);
      continue;
    }
    if (!isApplicable(item, answers)) {
      continue;
    }
    if (given) {
      values.set(item.linkId, raw as number);
    } else if (item.required) {
      missing.push(item.linkId);
    }
  }
  return { values, missing, invalid, unknown };
}

/** The fixed reasons of a refusal (`ScoreResult.reason`); `missing` lists the linkIds concerned. */
export const REFUSAL_REASONS = {
  unknown: 'Answers name items that are not part of the instrument',
  invalid: 'Answers are not one of the item answer scores',
  missing: 'Required items are unanswered; the instrument has no proration rule, so it is not scored',
} as const;

/**
 * The refusal for a check with problems, or undefined when the answers can be scored.
 * Reasons name linkIds only (no submitted value).
 */
export function refusal(check: AnswerCheck): ScoreResult | undefined {
  if (check.unknown.length > 0) {
    return { ok: false, missing: check.unknown, reason: REFUSAL_REASONS.unknown };
  }
  if (check.invalid.length > 0) {
    return { ok: false, missing: check.invalid, reason: REFUSAL_REASONS.invalid };
  }
  if (check.missing.length > 0) {
    return { ok: false, missing: check.missing, reason: REFUSAL_REASONS.missing };
  }
  return undefined;
}

/** Sum of the scores of the scored items in `linkIds` (all scored items when omitted). */
export function sumScores(
  items: readonly InstrumentItem[],
  values: Map<string, number>,
  linkIds?: readonly string[]
): number {
  let total = 0;
  for (const item of items) {
    if (item.scored && (!linkIds || linkIds.includes(item.linkId))) {
      total += values.get(item.linkId) ?? 0;
    }
  }
  return total;
}

/**
 * Scores a summed instrument: refuse on problems, else total and (when bands are given) the severity band.
 * @param items - the instrument's items
 * @param answers - item scores by linkId
 * @param bands - published bands, if the instrument has them
 */
export function scoreSum(
  items: readonly InstrumentItem[],
  answers: Record<string, number | null>,
  bands?: readonly BandRange[]
): ScoreResult {
  const check = checkAnswers(items, answers);
  const refused = refusal(check);
  if (refused) {
    return refused;
  }
  const total = sumScores(items, check.values);
  const band = bands ? bandFor(bands, total) : undefined;
  return band ? { ok: true, total, band } : { ok: true, total };
}
