/**
 * C-SSRS Screener, "since last visit" version (id `cssrs-since-last-visit`): the usual per-session screener (Posner et
 * al., Am J Psychiatry 2011;168:1266–1277; Columbia Lighthouse Project). Same questions as the recent version, window =
 * since the last contact, and no 6b (Q6 already asks about the window). Items and risk rule:
 * shared/reference/instruments.md §4 — high = Q4, Q5 or Q6 Yes (Q6 Yes → high is the project interpretation, to be
 * confirmed on Columbia's since-last-visit form); moderate = Q3 Yes; low = Q1/Q2 Yes only.
 * No LOINC panel was found for this version: the Questionnaire is identified by its LOCAL canonical URL only (no
 * `Questionnaire.code`), and its items carry no LOINC item codes — the LOINC C-SSRS item codes belong to the recent
 * panel 93373-9, whose questions are asked over other windows (past month, lifetime / past 3 months).
 * The risk Observation uses the same code as the recent version (LOINC 93374-7 "Suicide risk level", ✔ mirror).
 */
import { kapQuestionnaire } from '../terminology/systems.js';
import {
  CSSRS_BRANCHING_NOTE,
  CSSRS_COPYRIGHT,
  CSSRS_RISK_CODE,
  cssrsItem,
  scoreCssrsVersion,
} from './cssrs-screen.js';
import { buildQuestionnaire } from './questionnaire.js';
import type { Instrument, InstrumentItem } from './types.js';

/** Since-last-visit items: Q1, Q2 and Q6 always; Q3–Q5 when Q2 = Yes; no 6b (1 = Yes, 0 = No). */
export const CSSRS_SLV_ITEMS: readonly InstrumentItem[] = [
  cssrsItem('cssrs-1', undefined, 'Wished to be dead or not wake up'),
  cssrsItem('cssrs-2', undefined, 'Any thoughts of killing oneself'),
  cssrsItem('cssrs-3', undefined, 'Thought about how (method), without intent', 'cssrs-2'),
  cssrsItem('cssrs-4', undefined, 'Some intent to act, without a specific plan', 'cssrs-2'),
  cssrsItem('cssrs-5', undefined, 'Worked out a plan and intends to act', 'cssrs-2'),
  cssrsItem('cssrs-6', undefined, 'Did, started or prepared something to end life since the last visit'),
];

const TITLE = 'Columbia Suicide Severity Rating Scale Screener, since last visit (C-SSRS)';

/** The C-SSRS screener, since-last-visit version: risk none / low / moderate / high, no total. */
export const cssrsSinceLastVisit: Instrument = {
  id: 'cssrs-since-last-visit',
  title: TITLE,
  url: kapQuestionnaire('cssrs-since-last-visit'),
  totalCode: CSSRS_RISK_CODE,
  items: CSSRS_SLV_ITEMS as InstrumentItem[],
  score: scoreCssrsVersion(CSSRS_SLV_ITEMS, 'since-last-visit'),
  questionnaire: () =>
    buildQuestionnaire(
      {
        id: 'cssrs-since-last-visit',
        url: kapQuestionnaire('cssrs-since-last-visit'),
        version: '1.0.0',
        name: 'KapCSSRSScreenerSinceLastVisit',
        title: TITLE,
        description:
          'Suicide risk screener, since-last-visit version: ideation and behaviour since the last contact (Posner et ' +
          'al., Am J Psychiatry 2011;168:1266-1277). No LOINC panel exists for this version (local Questionnaire). ' +
          CSSRS_BRANCHING_NOTE +
          ' Q6 Yes is high risk. Item texts are short kap-fhir labels; Yes = 1, No = 0 in the ordinalValue extension.',
        copyright: CSSRS_COPYRIGHT,
        branching: 'optional',
      },
      CSSRS_SLV_ITEMS
    ),
};
