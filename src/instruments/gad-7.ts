/**
 * GAD-7 (id `gad7`): anxiety severity, past 2 weeks. Spitzer, Kroenke, Williams & Löwe, Arch Intern Med
 * 2006;166:1092–1097. Items, codes and bands: shared/reference/instruments.md §2. Labels are our own paraphrases.
 */
import type { Coding } from '@medplum/fhirtypes';
import { kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { copyOptions, PHQ_FREQUENCY_OPTIONS } from './answer-options.js';
import { scoreSum } from './evaluate-answers.js';
import { buildQuestionnaire } from './questionnaire.js';
import type { BandRange } from './severity-band.js';
import type { Instrument, InstrumentItem } from './types.js';

/** Remission threshold: total < 5 (project rule: the minimal band; instruments.md §2). */
export const GAD7_REMISSION_BELOW = 5;

/** Severity bands, Spitzer et al. 2006 (≥ 10 = probable GAD). */
export const GAD7_BANDS: readonly BandRange[] = [
  { min: 0, max: 4, code: 'minimal' },
  { min: 5, max: 9, code: 'mild' },
  { min: 10, max: 14, code: 'moderate' },
  { min: 15, max: 21, code: 'severe' },
];

const PANEL: Coding = { system: LOINC, code: '69737-5', display: 'Generalized anxiety disorder 7 item (GAD-7) panel' };
/** LOINC 70274-6 with its display exactly as LOINC writes it (issue 13 "Codes"). */
const TOTAL: Coding = {
  system: LOINC,
  code: '70274-6',
  display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
};

const ROWS: readonly [string, string, string][] = [
  ['gad7-1', '69725-0', 'Nervous, anxious, on edge'],
  ['gad7-2', '68509-9', "Can't stop or control worry"],
  ['gad7-3', '69733-4', 'Worrying about many things'],
  ['gad7-4', '69734-2', 'Trouble relaxing'],
  ['gad7-5', '69735-9', 'Too restless to sit still'],
  ['gad7-6', '69689-8', 'Easily annoyed or irritable'],
  ['gad7-7', '69736-7', 'Afraid something awful may happen'],
];

/** The seven GAD-7 items (LL358-3, 0–3). */
export const GAD7_ITEMS: readonly InstrumentItem[] = ROWS.map(([linkId, code, text]) => ({
  linkId,
  text,
  code: { system: LOINC, code },
  options: copyOptions(PHQ_FREQUENCY_OPTIONS),
  scored: true,
  required: true,
}));

/** GAD-7: total 0–21, bands minimal … severe. */
export const gad7: Instrument = {
  id: 'gad7',
  title: 'Generalized Anxiety Disorder-7 (GAD-7)',
  url: kapQuestionnaire('gad7'),
  code: PANEL,
  totalCode: TOTAL,
  items: GAD7_ITEMS as InstrumentItem[],
  score: (answers) => scoreSum(GAD7_ITEMS, answers, GAD7_BANDS),
  questionnaire: () =>
    buildQuestionnaire(
      {
        id: 'gad7',
        url: kapQuestionnaire('gad7'),
        version: '1.0.0',
        name: 'KapGAD7',
        title: 'Generalized Anxiety Disorder-7 (GAD-7)',
        description:
          'Anxiety severity over the past 2 weeks (Spitzer, Kroenke, Williams & Lowe, Arch Intern Med 2006;166:1092-1097). ' +
          'Item texts are short kap-fhir labels; scores are in the ordinalValue extension.',
        code: PANEL,
        copyright:
          'GAD-7 (c) Pfizer Inc. No permission required to reproduce, translate, display or distribute. ' +
          'Item labels here are kap-fhir paraphrases, not the instrument wording.',
      },
      GAD7_ITEMS
    ),
};
