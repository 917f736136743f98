/**
 * C-SSRS Screener, recent version (id `cssrs-screen`): Posner et al., Am J Psychiatry 2011;168:1266–1277; triage
 * per Columbia's "screener with triage points" (2021). Items, codes and risk rule: shared/reference/instruments.md §4.
 * © Research Foundation for Mental Hygiene: only kap-fhir labels are shipped (no item wording) until Columbia's
 * written permission for software use is obtained. No total score: the result is a risk level.
 */
import type { Coding } from '@medplum/fhirtypes';
import { KAP_CSSRS_RISK, kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { copyOptions, YES_NO_OPTIONS } from './answer-options.js';
import { checkAnswers, refusal } from './evaluate-answers.js';
import { buildQuestionnaire } from './questionnaire.js';
import type { Instrument, InstrumentItem, ScoreResult } from './types.js';

/** The risk levels of `kap-cssrs-risk`, lowest first. */
export type CssrsRiskLevel = 'none' | 'low' | 'moderate' | 'high';

const RISK_DISPLAY: Record<CssrsRiskLevel, string> = {
  none: 'None',
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
};

/** The Coding of a risk level (`kap-cssrs-risk`). */
export function cssrsRiskCoding(level: CssrsRiskLevel): Coding {
  return { system: KAP_CSSRS_RISK, code: level, display: RISK_DISPLAY[level] };
}

/** LOINC 93374-7 "Suicide risk level" (✔ mirror): code of the derived risk Observation. */
export const CSSRS_RISK_CODE: Coding = { system: LOINC, code: '93374-7', display: 'Suicide risk level' };

const PANEL: Coding = {
  system: LOINC,
  code: '93373-9',
  display: 'Columbia - suicide severity rating scale screener - recent [C-SSRS]',
};

const YES = 1;

/** The license notice of both screener versions (instruments.md §4). */
export const CSSRS_COPYRIGHT =
  'C-SSRS (c) The Research Foundation for Mental Hygiene, Inc. (Posner et al.). Free for clinical and ' +
  'community use through the Columbia Lighthouse Project; use in software needs written permission from ' +
  'Columbia. Item labels here are kap-fhir paraphrases, not the instrument wording.';

/**
 * One Yes/No screener item.
 * @param linkId - the linkId
 * @param code - its LOINC item code (recent version only), or undefined
 * @param text - kap-fhir label
 * @param enabledBy - the item whose Yes makes this one applicable (branching)
 */
export function cssrsItem(linkId: string, code: string | undefined, text: string, enabledBy?: string): InstrumentItem {
  const out: InstrumentItem = {
    linkId,
    text,
    ...(code ? { code: { system: LOINC, code } } : {}),
    options: copyOptions(YES_NO_OPTIONS),
    scored: true,
    required: true,
  };
  if (enabledBy) {
    out.enableWhen = [{ question: enabledBy, answerScore: YES }];
  }
  return out;
}

/** Screener items: Q1, Q2 and Q6 always; Q3–Q5 when Q2 = Yes; 6b when Q6 = Yes (1 = Yes, 0 = No). */
export const CSSRS_ITEMS: readonly InstrumentItem[] = [
  cssrsItem('cssrs-1', '93246-7', 'Wished to be dead or not wake up'),
  cssrsItem('cssrs-2', '93247-5', 'Any thoughts of killing oneself'),
  cssrsItem('cssrs-3', '93248-3', 'Thought about how (method), without intent', 'cssrs-2'),
  cssrsItem('cssrs-4', '93249-1', 'Some intent to act, without a specific plan', 'cssrs-2'),
  cssrsItem('cssrs-5', '93250-9', 'Worked out a plan and intends to act', 'cssrs-2'),
  cssrsItem('cssrs-6', '93267-3', 'Ever did, started or prepared something to end life'),
  cssrsItem('cssrs-6b', '93269-9', 'Was that within the past 3 months', 'cssrs-6'),
];

/** The two screener versions: `recent` (past month / past 3 months, with 6b) and `since-last-visit` (no 6b). */
export type CssrsVersion = 'recent' | 'since-last-visit';

const answeredYes = (answers: Record<string, number | null>, linkId: string): boolean => answers[linkId] === YES;

/**
 * The highest risk level any *given* answer reaches (Columbia triage, instruments.md §4; contract issue 13): a Yes
 * counts even where the branching would have skipped the item (Q4 = Yes with Q2 = No is high: the response says
 * "intent: yes"). high = Q4 or Q5 Yes, or recent behaviour (recent version: Q6 Yes with 6b Yes or unanswered, or 6b
 * Yes; since-last-visit version: Q6 Yes — project interpretation, instruments.md §4); moderate = Q3 Yes, or (recent
 * version) Q6 Yes with 6b No; low = Q1/Q2 Yes only; none otherwise.
 * On incomplete answers (safety use) Q6 = Yes with 6b unanswered counts as high (recency unknown → worst case), and
 * 6b = Yes with Q6 = No counts as high too (a contradiction: the worst reading is kept and the answers are flagged).
 * @param answers - item scores by linkId (1 = Yes, 0 = No, null = unanswered)
 * @param version - the screener version (default `recent`)
 */
export function cssrsRiskLevel(answers: Record<string, number | null>, version: CssrsVersion = 'recent'): CssrsRiskLevel {
  const yes = (linkId: string): boolean => answeredYes(answers, linkId);
  const recentBehaviour =
    version === 'since-last-visit' ? yes('cssrs-6') : (yes('cssrs-6') && answers['cssrs-6b'] !== 0) || yes('cssrs-6b');
  if (yes('cssrs-4') || yes('cssrs-5') || recentBehaviour) {
    return 'high';
  }
  if (yes('cssrs-3') || (version === 'recent' && yes('cssrs-6'))) {
    return 'moderate';
  }
  if (yes('cssrs-1') || yes('cssrs-2')) {
    return 'low';
  }
  return 'none';
}

/**
 * True when the answers contradict each other (contract issue 13): Q2 = No with Q3, Q4 or Q5 = Yes, or Q6 = No with
 * 6b = Yes. An unanswered Q2 / Q6 is no contradiction (only an explicit No is).
 * @param answers - item scores by linkId (1 = Yes, 0 = No, null = unanswered)
 */
export function cssrsInconsistent(answers: Record<string, number | null>): boolean {
  const yes = (linkId: string): boolean => answeredYes(answers, linkId);
  const q2No = answers['cssrs-2'] === 0 && (yes('cssrs-3') || yes('cssrs-4') || yes('cssrs-5'));
  const q6No = answers['cssrs-6'] === 0 && yes('cssrs-6b');
  return q2No || q6No;
}

/**
 * Scores a screener version: refuses when Q1, Q2 or Q6 is unanswered, when Q2 = Yes and any of Q3–Q5 is unanswered,
 * or (recent version) when Q6 = Yes without 6b; items skipped by the branching are not applicable, not missing (a
 * Yes given to one still raises the risk, and the contradiction is flagged `inconsistent`).
 * @param items - the version's items
 * @param version - the version
 */
export function scoreCssrsVersion(
  items: readonly InstrumentItem[],
  version: CssrsVersion
): (answers: Record<string, number | null>) => ScoreResult {
  return (answers: Record<string, number | null>): ScoreResult => {
    const refused = refusal(checkAnswers(items, answers));
    if (refused) {
      return refused;
    }
    const risk = cssrsRiskCoding(cssrsRiskLevel(answers, version));
    return cssrsInconsistent(answers) ? { ok: true, risk, inconsistent: true } : { ok: true, risk };
  };
}

/** Scores the recent screener (see {@link scoreCssrsVersion}). */
export const scoreCssrs: (answers: Record<string, number | null>) => ScoreResult = scoreCssrsVersion(CSSRS_ITEMS, 'recent');

/**
 * The Questionnaire header note on branching shared by both versions: the Questionnaire carries no enableWhen, so a
 * response that answers a follow-up the branching would skip stays valid FHIR and keeps what the patient said.
 */
export const CSSRS_BRANCHING_NOTE =
  'Q3-Q5 are asked when Q2 is Yes. The Questionnaire carries no enableWhen, so a response that answers a follow-up ' +
  'the branching would have skipped stays valid and is kept: its Yes raises the risk and the contradiction is flagged.';

/** The C-SSRS screener (recent version): risk none / low / moderate / high, no total. */
export const cssrsScreen: Instrument = {
  id: 'cssrs-screen',
  title: 'Columbia Suicide Severity Rating Scale Screener, recent (C-SSRS)',
  url: kapQuestionnaire('cssrs-screen'),
  code: PANEL,
  totalCode: CSSRS_RISK_CODE,
  items: CSSRS_ITEMS as InstrumentItem[],
  score: scoreCssrs,
  questionnaire: () =>
    buildQuestionnaire(
      {
        id: 'cssrs-screen',
        url: kapQuestionnaire('cssrs-screen'),
        version: '1.0.0',
        name: 'KapCSSRSScreenerRecent',
        title: 'Columbia Suicide Severity Rating Scale Screener, recent (C-SSRS)',
        description:
          'Suicide risk screener, recent version: ideation in the past month, behaviour lifetime and past 3 months ' +
          '(Posner et al., Am J Psychiatry 2011;168:1266-1277). 6b is asked when Q6 is Yes. ' +
          CSSRS_BRANCHING_NOTE +
          ' Item texts are short kap-fhir labels; Yes = 1, No = 0 in the ordinalValue extension.',
        code: PANEL,
        copyright: CSSRS_COPYRIGHT,
        branching: 'optional',
      },
      CSSRS_ITEMS
    ),
};
