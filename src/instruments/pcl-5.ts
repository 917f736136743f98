/**
 * PCL-5 (id `pcl5`): PTSD symptom checklist for DSM-5, past month. Weathers et al. 2013, US Department of Veterans
 * Affairs National Center for PTSD (public domain). Items, clusters and cut-off: shared/reference/instruments.md §3.
 * No empirically derived severity bands: interpretation is `below-cutoff` / `at-or-above-cutoff` only.
 */
import type { Coding } from '@medplum/fhirtypes';
import { kapQuestionnaire, LOINC } from '../terminology/systems.js';
import { localOptions } from './answer-options.js';
import { checkAnswers, refusal, sumScores } from './evaluate-answers.js';
import { buildQuestionnaire } from './questionnaire.js';
import { severityBand } from './severity-band.js';
import type { Instrument, InstrumentItem, ScoreResult } from './types.js';

/** Default provisional-PTSD cut-off: 33 (NCPTSD "Using the PCL-5": 31–33). */
export const PCL5_DEFAULT_CUTOFF = 33;

/** Default clinically meaningful improvement: ≥ 10 points (project default; Blanchard et al. 2023 MID 8.5–12.5). */
export const PCL5_MEANINGFUL_IMPROVEMENT = 10;

/** DSM-5 symptom clusters (B intrusion, C avoidance, D cognition/mood, E arousal/reactivity): item numbers. */
export const PCL5_CLUSTERS: Readonly<Record<'B' | 'C' | 'D' | 'E', readonly number[]>> = {
  B: [1, 2, 3, 4, 5],
  C: [6, 7],
  D: [8, 9, 10, 11, 12, 13, 14],
  E: [15, 16, 17, 18, 19, 20],
};

/** DSM-5 provisional-diagnosis rule: an item rated ≥ 2 counts; needs ≥ 1 B, ≥ 1 C, ≥ 2 D, ≥ 2 E. */
export const PCL5_DSM5_MINIMUM: Readonly<Record<'B' | 'C' | 'D' | 'E', number>> = { B: 1, C: 1, D: 2, E: 2 };

const PANEL: Coding = {
  system: LOINC,
  code: '101697-1',
  display: 'Post traumatic stress disorder checklist - civilian version DSM-5 [PCL-5]',
};
const TOTAL: Coding = { system: LOINC, code: '101698-9', display: 'PTSD PCL-5 score [PCL-5]' };

const LABELS: readonly string[] = [
  'Unwanted distressing memories',
  'Distressing dreams',
  'Reliving / flashbacks',
  'Upset by reminders',
  'Body reactions to reminders',
  'Avoiding inner reminders',
  'Avoiding outer reminders',
  "Can't recall parts of the event",
  'Strong negative beliefs',
  'Blaming self or others',
  'Strong fear, anger, guilt or shame',
  'Lost interest in activities',
  'Feeling distant or cut off',
  "Can't feel positive emotions",
  'Irritable or angry outbursts',
  'Risky or self-destructive acts',
  'Over-alert, on guard',
  'Jumpy, easily startled',
  'Trouble concentrating',
  'Trouble sleeping',
];

/** LOINC answer codes for PCL-5 are not verified (instruments.md §3): local `kap-answer#pcl5-0…4`. */
const OPTIONS = ['Not at all', 'A little bit', 'Moderately', 'Quite a bit', 'Extremely'];

/** The 20 PCL-5 items (0–4). Only item 9 has a verified LOINC code (101699-7); the others use linkIds only. */
export const PCL5_ITEMS: readonly InstrumentItem[] = LABELS.map((text, i) => {
  const item: InstrumentItem = {
    linkId: `pcl5-${i + 1}`,
    text,
    options: localOptions('pcl5', OPTIONS),
    scored: true,
    required: true,
  };
  if (i + 1 === 9) {
    item.code = { system: LOINC, code: '101699-7' };
  }
  return item;
});

function clusterLinkIds(cluster: keyof typeof PCL5_CLUSTERS): string[] {
  return PCL5_CLUSTERS[cluster].map((n) => `pcl5-${n}`);
}

/** Options of the PCL-5. */
export interface Pcl5Options {
  /** Provisional-PTSD total cut-off (31–33 per NCPTSD; default 33). */
  cutoff?: number;
}

/**
 * Scores the PCL-5: total 0–80, cluster subscales B (0–20), C (0–8), D (0–28), E (0–24), band
 * `at-or-above-cutoff` when total ≥ cut-off, and `provisionalDiagnosis` by the DSM-5 rule (NCPTSD).
 */
export function scorePcl5(answers: Record<string, number | null>, options: Pcl5Options = {}): ScoreResult {
  const cutoff = options.cutoff ?? PCL5_DEFAULT_CUTOFF;
  const check = checkAnswers(PCL5_ITEMS, answers);
  const refused = refusal(check);
  if (refused) {
    return refused;
  }
  const total = sumScores(PCL5_ITEMS, check.values);
  const subscales: Record<string, number> = {};
  for (const cluster of ['B', 'C', 'D', 'E'] as const) {
    subscales[cluster] = sumScores(PCL5_ITEMS, check.values, clusterLinkIds(cluster));
  }
  return {
    ok: true,
    total,
    subscales,
    band: severityBand(total >= cutoff ? 'at-or-above-cutoff' : 'below-cutoff'),
    provisionalDiagnosis: meetsDsm5Rule(check.values),
  };
}

function meetsDsm5Rule(values: Map<string, number>): boolean {
  return (['B', 'C', 'D', 'E'] as const).every((cluster) => {
    const endorsed = clusterLinkIds(cluster).filter((id) => (values.get(id) ?? 0) >= 2).length;
    return endorsed >= PCL5_DSM5_MINIMUM[cluster];
  });
}

/**
 * The DSM-5 provisional PTSD rule (NCPTSD): items rated ≥ 2 count as endorsed; needs ≥ 1 B, ≥ 1 C, ≥ 2 D, ≥ 2 E.
 * @returns true/false, or undefined when the answers cannot be scored (missing/invalid items)
 */
export function pcl5MeetsDsm5Rule(answers: Record<string, number | null>): boolean | undefined {
  const check = checkAnswers(PCL5_ITEMS, answers);
  return refusal(check) ? undefined : meetsDsm5Rule(check.values);
}

/**
 * Creates the PCL-5 instrument with a configurable cut-off.
 * @param options - cut-off (default 33)
 */
export function createPcl5(options: Pcl5Options = {}): Instrument {
  return {
    id: 'pcl5',
    title: 'PTSD Checklist for DSM-5 (PCL-5)',
    url: kapQuestionnaire('pcl5'),
    code: PANEL,
    totalCode: TOTAL,
    items: PCL5_ITEMS as InstrumentItem[],
    score: (answers) => scorePcl5(answers, options),
    questionnaire: () =>
      buildQuestionnaire(
        {
          id: 'pcl5',
          url: kapQuestionnaire('pcl5'),
          version: '1.0.0',
          name: 'KapPCL5',
          title: 'PTSD Checklist for DSM-5 (PCL-5)',
          description:
            'PTSD symptoms over the past month (Weathers et al. 2013, National Center for PTSD). Clusters B 1-5, ' +
            'C 6-7, D 8-14, E 15-20. Item texts are short kap-fhir labels; scores are in the ordinalValue extension.',
          code: PANEL,
          copyright:
            'PCL-5: public domain, US Department of Veterans Affairs National Center for PTSD (Weathers et al. 2013). ' +
            'Item labels here are kap-fhir paraphrases, not the instrument wording.',
        },
        PCL5_ITEMS
      ),
  };
}

/** PCL-5 with the default cut-off (33). */
export const pcl5: Instrument = createPcl5();
