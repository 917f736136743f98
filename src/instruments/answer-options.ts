/**
 * Answer options shared by the instruments: LOINC answer lists where instruments.md marks them ✔, otherwise the one
 * local answer code system `kap-answer` (published by profiles/, listed in docs/instruments.md).
 */
import type { Coding } from '@medplum/fhirtypes';
import { kapCodeSystem, LOINC } from '../terminology/systems.js';
import type { AnswerOption } from './types.js';

/** The local answer code system for instruments without verified LOINC answer codes (PCL-5, CADSS-6, PHQ-9 difficulty). */
export const KAP_ANSWER = kapCodeSystem('kap-answer');

/**
 * The FHIR core ordinalValue extension (R4), carried on each `Questionnaire.item.answerOption`: the answer's score.
 * Not a KAP URI, so it lives here with the instrument data rather than in src/terminology.
 */
export const ORDINAL_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

function loinc(code: string, display: string): Coding {
  return { system: LOINC, code, display };
}

/**
 * LOINC answer list LL358-3 (PHQ-9 and GAD-7 items, scores 0–3). Source: instruments.md §1 (✔ US Core / PCO IG).
 */
export const PHQ_FREQUENCY_OPTIONS: readonly AnswerOption[] = [
  { code: loinc('LA6568-5', 'Not at all'), score: 0 },
  { code: loinc('LA6569-3', 'Several days'), score: 1 },
  { code: loinc('LA6570-1', 'More than half the days'), score: 2 },
  { code: loinc('LA6571-9', 'Nearly every day'), score: 3 },
];

/** C-SSRS answers: LOINC LL5384-4 LA33-6 Yes = 1, LA32-8 No = 0 (clinical-codes.md §5, ✔ cdn.loinc.org). */
export const YES_NO_OPTIONS: readonly AnswerOption[] = [
  { code: loinc('LA32-8', 'No'), score: 0 },
  { code: loinc('LA33-6', 'Yes'), score: 1 },
];

/**
 * Local answer options `<prefix>-<score>` in `kap-answer`, one per display, scored 0, 1, 2, …
 * @param prefix - code prefix, e.g. `pcl5`
 * @param displays - displays in score order
 */
export function localOptions(prefix: string, displays: readonly string[]): AnswerOption[] {
  return displays.map((display, score) => ({
    code: { system: KAP_ANSWER, code: `${prefix}-${score}`, display },
    score,
  }));
}

/** Deep copy of a list of options, so no instrument shares mutable Codings with another. */
export function copyOptions(options: readonly AnswerOption[]): AnswerOption[] {
  return options.map((o) => ({ code: { ...o.code }, score: o.score }));
}
