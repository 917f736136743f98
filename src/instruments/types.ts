/**
 * The instruments API (docs/conventions.md "Instruments API"): the types every instrument module implements.
 */
import type { Coding, Questionnaire } from '@medplum/fhirtypes';

/** Stable instrument ids used in the KAP JSON (`questionnaires[].instrument`). */
export type InstrumentId = 'phq9' | 'gad7' | 'pcl5' | 'cssrs-screen' | 'cssrs-since-last-visit' | 'cadss6';

/** One answer option: its coding and its score (= the Questionnaire `ordinalValue`). */
export interface AnswerOption {
  code: Coding;
  score: number;
}

/** One item of an instrument. `text` is our own short paraphrase, never the licensed wording. */
export interface InstrumentItem {
  linkId: string;
  text: string;
  /** LOINC item code, only where instruments.md marks one ✔. */
  code?: Coding;
  options: AnswerOption[];
  /** false for items outside the total (e.g. `phq9-difficulty`). */
  scored: boolean;
  /** Required when enabled (C-SSRS follow-up items are required only when their enableWhen holds). */
  required: boolean;
  /** Branching: the item applies when any condition holds (C-SSRS). */
  enableWhen?: { question: string; answerScore: number }[];
}

/**
 * Result of scoring: totals/bands/risk, or a refusal naming the linkIds that block scoring.
 * `provisionalDiagnosis`: PCL-5 provisional PTSD by the DSM-5 rule (instruments.md §3);
 * `inconsistent`: C-SSRS answers that contradict each other (instruments.md §4; contract issue 13), set only when true.
 */
export type ScoreResult =
  | {
      ok: true;
      total?: number;
      band?: Coding;
      subscales?: Record<string, number>;
      risk?: Coding;
      provisionalDiagnosis?: boolean;
      inconsistent?: boolean;
    }
  | { ok: false; missing: string[]; reason: string };

/** A standardized instrument. */
export interface Instrument {
  id: InstrumentId;
  title: string;
  /** Canonical Questionnaire URL, `kapQuestionnaire(id)`. */
  url: string;
  /** LOINC panel code, where one exists. */
  code?: Coding;
  /** LOINC total-score code, or the local `kap-observation` code. */
  totalCode: Coding;
  items: InstrumentItem[];
  /** Scores item scores keyed by linkId (`null` = unanswered). Never throws for bad answers. */
  score(answers: Record<string, number | null>): ScoreResult;
  /** The generated FHIR Questionnaire (deterministic: same JSON every call). */
  questionnaire(): Questionnaire;
}
