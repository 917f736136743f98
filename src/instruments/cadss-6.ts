/**
 * CADSS-6 (id `cadss6`): 6-item short form (items 1, 2, 6, 7, 15, 22) of the Clinician-Administered Dissociative
 * States Scale (Bremner et al., J Trauma Stress 1998;11:125–136; short form: Rodrigues et al., J Affect Disord 2021).
 * Clinician-rated 0–4 per item, total 0–24, no severity bands (no validated cut-off: Int J Neuropsychopharmacol
 * 2023;26:198–206). Source table: shared/reference/instruments.md §5. CADSS is copyrighted by its authors: only item
 * numbers and kap-fhir labels are shipped.
 */
import type { Coding } from '@medplum/fhirtypes';
import { KAP_OBSERVATION, kapQuestionnaire } from '../terminology/systems.js';
import { localOptions } from './answer-options.js';
import { scoreSum } from './evaluate-answers.js';
import { buildQuestionnaire } from './questionnaire.js';
import type { Instrument, InstrumentItem } from './types.js';

/** No LOINC code exists: local `kap-observation#cadss6-total` (clinical-codes.md §9). */
const TOTAL: Coding = { system: KAP_OBSERVATION, code: 'cadss6-total', display: 'CADSS-6 total score' };

/** linkIds keep the 23-item CADSS numbering (`cadss-<n>`), so they stay valid for the full scale. */
const ROWS: readonly [number, string][] = [
  [1, 'Time seems slowed down'],
  [2, 'Surroundings seem unreal, dreamlike'],
  [6, 'Feeling disconnected from own body'],
  [7, 'Body feels changed (size or shape)'],
  [15, 'Spacing out, losing track of what happens'],
  [22, 'CADSS item 22 (label pending the licensed form)'],
];

/** Anchor words beyond 0 and 4 are not confirmed (instruments.md §5): displays carry the score only. */
const OPTIONS = ['0 - not at all', '1', '2', '3', '4 - extremely'];

/** The six CADSS-6 items, 0–4 each (local `kap-answer#cadss-0…4`). */
export const CADSS6_ITEMS: readonly InstrumentItem[] = ROWS.map(([n, text]) => ({
  linkId: `cadss-${n}`,
  text,
  options: localOptions('cadss', OPTIONS),
  scored: true,
  required: true,
}));

/** CADSS-6: total 0–24, no interpretation. */
export const cadss6: Instrument = {
  id: 'cadss6',
  title: 'Clinician-Administered Dissociative States Scale, 6-item form (CADSS-6)',
  url: kapQuestionnaire('cadss6'),
  totalCode: TOTAL,
  items: CADSS6_ITEMS as InstrumentItem[],
  score: (answers) => scoreSum(CADSS6_ITEMS, answers),
  questionnaire: () =>
    buildQuestionnaire(
      {
        id: 'cadss6',
        url: kapQuestionnaire('cadss6'),
        version: '1.0.0',
        name: 'KapCADSS6',
        title: 'Clinician-Administered Dissociative States Scale, 6-item form (CADSS-6)',
        description:
          'Clinician-rated dissociation at the expected peak (~40 min after dose start): CADSS items 1, 2, 6, 7, 15 ' +
          'and 22 (Bremner et al. 1998; Rodrigues et al. 2021), 0-4 each, total 0-24, no severity bands.',
        copyright:
          'CADSS (c) its authors (Bremner et al.); reuse terms not found: only item numbers and kap-fhir labels are ' +
          'included, not the instrument wording.',
      },
      CADSS6_ITEMS
    ),
};
