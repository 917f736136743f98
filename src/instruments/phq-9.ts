/**
 * PHQ-9 (id `phq9`): depression severity, past 2 weeks. Kroenke, Spitzer & Williams, J Gen Intern Med
 * 2001;16:606–613. Items, codes and bands: shared/reference/instruments.md §1. Labels are our own paraphrases.
 */
import type { Coding } from '@medplum/fhirtypes';
import { kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { copyOptions, localOptions, PHQ_FREQUENCY_OPTIONS } from './answer-options.js';
import { scoreSum } from './evaluate-answers.js';
import { buildQuestionnaire } from './questionnaire.js';
import type { BandRange } from './severity-band.js';
import type { Instrument, InstrumentItem } from './types.js';

/** The PHQ-9 item whose endorsement (score ≥ 1) is an urgent safety signal (instruments.md §1). */
export const PHQ9_SUICIDE_ITEM = 'phq9-9';

/** Remission threshold: total < 5 (NCQA HEDIS; instruments.md §1). */
export const PHQ9_REMISSION_BELOW = 5;

/** Severity bands, Kroenke et al. 2001 (same bands as LOINC LL382-3). */
export const PHQ9_BANDS: readonly BandRange[] = [
  { min: 0, max: 4, code: 'minimal' },
  { min: 5, max: 9, code: 'mild' },
  { min: 10, max: 14, code: 'moderate' },
  { min: 15, max: 19, code: 'moderately-severe' },
  { min: 20, max: 27, code: 'severe' },
];

const PANEL: Coding = { system: LOINC, code: '44249-1', display: 'PHQ-9 quick depression assessment panel [Reported.PHQ]' };
const TOTAL: Coding = {
  system: LOINC,
  code: '44261-6',
  display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
};

const ROWS: readonly [string, string, string][] = [
  ['phq9-1', '44250-9', 'Little interest or pleasure'],
  ['phq9-2', '44255-8', 'Feeling down or hopeless'],
  ['phq9-3', '44259-0', 'Sleeping too little or too much'],
  ['phq9-4', '44254-1', 'Tired, low energy'],
  ['phq9-5', '44251-7', 'Appetite too low or too high'],
  ['phq9-6', '44258-2', 'Feeling a failure / bad about self'],
  ['phq9-7', '44252-5', 'Trouble concentrating'],
  ['phq9-8', '44253-3', 'Moving or speaking slowly, or restless'],
  ['phq9-9', '44260-8', 'Thoughts of death or self-harm'],
];

/** The PHQ-9 items: nine scored (LL358-3, 0–3) and the unscored difficulty item. */
export const PHQ9_ITEMS: readonly InstrumentItem[] = [
  ...ROWS.map(([linkId, code, text]) => ({
    linkId,
    text,
    code: { system: LOINC, code },
    options: copyOptions(PHQ_FREQUENCY_OPTIONS),
    scored: true,
    required: true,
  })),
  {
    // LOINC 69722-7 is unverified (instruments.md §1) and its answer codes are not in our reference: local codes.
    linkId: 'phq9-difficulty',
    text: 'How hard the problems made daily life',
    options: localOptions('phq9-difficulty', [
      'Not difficult at all',
      'Somewhat difficult',
      'Very difficult',
      'Extremely difficult',
    ]),
    scored: false,
    required: false,
  },
];

/**
 * The answer option coding (LOINC LL358-3 LA code) given to item 9, or undefined when item 9 is unanswered (or its
 * value is no option score).
 * @param answers - item scores by linkId
 */
export function phq9Item9Coding(answers: Record<string, number | null>): Coding | undefined {
  const item = PHQ9_ITEMS.find((i) => i.linkId === PHQ9_SUICIDE_ITEM);
  const option = item?.options.find((o) => o.score === answers[PHQ9_SUICIDE_ITEM]);
  return option ? { ...option.code } : undefined;
}

/** PHQ-9: total 0–27, bands minimal … severe. */
export const phq9: Instrument = {
  id: 'phq9',
  title: 'Patient Health Questionnaire-9 (PHQ-9)',
  url: kapQuestionnaire('phq9'),
  code: PANEL,
  totalCode: TOTAL,
  items: PHQ9_ITEMS as InstrumentItem[],
  score: (answers) => scoreSum(PHQ9_ITEMS, answers, PHQ9_BANDS),
  questionnaire: () =>
    buildQuestionnaire(
      {
        id: 'phq9',
        url: kapQuestionnaire('phq9'),
        version: '1.0.0',
        name: 'KapPHQ9',
        title: 'Patient Health Questionnaire-9 (PHQ-9)',
        description:
          'Depression severity over the past 2 weeks (Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613). ' +
          'Item texts are short kap-fhir labels; scores are in the ordinalValue extension.',
        code: PANEL,
        copyright:
          'PHQ-9 (c) Pfizer Inc. No permission required to reproduce, translate, display or distribute. ' +
          'Item labels here are kap-fhir paraphrases, not the instrument wording.',
      },
      PHQ9_ITEMS
    ),
};
