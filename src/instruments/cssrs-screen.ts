/**
 * C-SSRS Screener, recent version (id `cssrs-screen`): Posner et al., Am J Psychiatry 2011;168:1266–1277; triage
 * per Columbia's "screener with triage points" (2021). Items, codes and risk rule: shared/reference/instruments.md §4.
 * © Research Foundation for Mental Hygiene: only kap-fhir labels are shipped (no item wording) until Columbia's
 * written permission for software use is obtained. No total score: the result is a risk level.
 */
import type { Coding } from '@medplum/fhirtypes';
import { KAP_CSSRS_RISK, kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { copyOptions, YES_NO_OPTIONS } from './answer-options.js';
import { checkAnswers, isApplicable, refusal } from './evaluate-answers.js';
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

function item(linkId: string, code: string, text: string, enabledBy?: string): InstrumentItem {
  const out: InstrumentItem = {
    linkId,
    text,
    code: { system: LOINC, code },
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
  item('cssrs-1', '93246-7', 'Wished to be dead or not wake up'),
  item('cssrs-2', '93247-5', 'Any thoughts of killing oneself'),
  item('cssrs-3', '93248-3', 'Thought about how (method), without intent', 'cssrs-2'),
  item('cssrs-4', '93249-1', 'Some intent to act, without a specific plan', 'cssrs-2'),
  item('cssrs-5', '93250-9', 'Worked out a plan and intends to act', 'cssrs-2'),
  item('cssrs-6', '93267-3', 'Ever did, started or prepared something to end life'),
  item('cssrs-6b', '93269-9', 'Was that within the past 3 months', 'cssrs-6'),
];

/**
 * The highest risk level reached by the *applicable, answered* items (Columbia triage, instruments.md §4):
 * high = Q4 or Q5 Yes, or Q6 Yes with 6b Yes; moderate = Q3 Yes, or Q6 Yes with 6b No; low = Q1/Q2 Yes only.
 * On incomplete answers (safety use) Q6 = Yes with 6b unanswered counts as high (recency unknown → worst case).
 * @param answers - item scores by linkId (1 = Yes, 0 = No, null = unanswered)
 */
export function cssrsRiskLevel(answers: Record<string, number | null>): CssrsRiskLevel {
  const yes = (linkId: string): boolean => {
    const it = CSSRS_ITEMS.find((i) => i.linkId === linkId);
    return it !== undefined && isApplicable(it, answers) && answers[linkId] === YES;
  };
  const no6b = answers['cssrs-6b'] === 0;
  if (yes('cssrs-4') || yes('cssrs-5') || (yes('cssrs-6') && !no6b)) {
    return 'high';
  }
  if (yes('cssrs-3') || (yes('cssrs-6') && no6b)) {
    return 'moderate';
  }
  if (yes('cssrs-1') || yes('cssrs-2')) {
    return 'low';
  }
  return 'none';
}

/**
 * Scores the screener: refuses when Q1, Q2 or Q6 is unanswered, when Q2 = Yes and any of Q3–Q5 is unanswered, or
 * when Q6 = Yes without 6b; items skipped by the branching are not applicable, not missing.
 */
export function scoreCssrs(answers: Record<string, number | null>): ScoreResult {
  const refused = refusal(checkAnswers(CSSRS_ITEMS, answers));
  if (refused) {
    return refused;
  }
  return { ok: true, risk: cssrsRiskCoding(cssrsRiskLevel(answers)) };
}

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
          '(Posner et al., Am J Psychiatry 2011;168:1266-1277). Q3-Q5 are asked when Q2 is Yes, 6b when Q6 is Yes. ' +
          'Item texts are short kap-fhir labels; Yes = 1, No = 0 in the ordinalValue extension.',
        code: PANEL,
        copyright:
          'C-SSRS (c) The Research Foundation for Mental Hygiene, Inc. (Posner et al.). Free for clinical and ' +
          'community use through the Columbia Lighthouse Project; use in software needs written permission from ' +
          'Columbia. Item labels here are kap-fhir paraphrases, not the instrument wording.',
      },
      CSSRS_ITEMS
    ),
};
