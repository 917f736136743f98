/**
 * Side-effect codes (SNOMED CT findings, clinical-codes.md §8; local `kap-side-effect` for dissociation)
 * and AdverseEvent severity (FHIR R4 adverse-event-severity), seriousness and outcome (THO adverse-event-seriousness,
 * adverse-event-outcome).
 */
import type { KapCoding } from './coding.js';
import type { SIDE_EFFECT_OUTCOMES } from '../kap/side-effect.js';
import { ADVERSE_EVENT_OUTCOME, ADVERSE_EVENT_SERIOUSNESS, ADVERSE_EVENT_SEVERITY, KAP_SIDE_EFFECT, SNOMED } from './systems.js';

/** The code of each KAP side effect. */
export const SIDE_EFFECT_CODES: Readonly<
  Record<
    | 'nausea'
    | 'vomiting'
    | 'dizziness'
    | 'headache'
    | 'elevated-blood-pressure'
    | 'anxiety'
    | 'sedation'
    | 'dissociation',
    KapCoding
  >
> = {
  nausea: { system: SNOMED, code: '422587007', display: 'Nausea' },
  vomiting: { system: SNOMED, code: '422400008', display: 'Vomiting' },
  dizziness: { system: SNOMED, code: '404640003', display: 'Dizziness' },
  headache: { system: SNOMED, code: '25064002', display: 'Headache' },
  'elevated-blood-pressure': { system: SNOMED, code: '24184005', display: 'Blood pressure above reference range' },
  anxiety: { system: SNOMED, code: '48694002', display: 'Anxiety' },
  sedation: { system: SNOMED, code: '271782001', display: 'Drowsy' },
  dissociation: { system: KAP_SIDE_EFFECT, code: 'dissociation', display: 'Dissociation' },
};

/** AdverseEvent.severity codes. */
export const ADVERSE_EVENT_SEVERITIES: Readonly<Record<'mild' | 'moderate' | 'severe', KapCoding>> = {
  mild: { system: ADVERSE_EVENT_SEVERITY, code: 'mild', display: 'Mild' },
  moderate: { system: ADVERSE_EVENT_SEVERITY, code: 'moderate', display: 'Moderate' },
  severe: { system: ADVERSE_EVENT_SEVERITY, code: 'severe', display: 'Severe' },
};

/**
 * AdverseEvent.seriousness codes (THO adverse-event-seriousness 1.0.1, lower-case codes; FHIR R4.0.1's bundled copy
 * spelled them `Serious` / `Non-serious`, THO is the source of truth for terminology.hl7.org systems).
 */
export const ADVERSE_EVENT_SERIOUSNESS_CODES: Readonly<Record<'serious' | 'non-serious', KapCoding>> = {
  serious: { system: ADVERSE_EVENT_SERIOUSNESS, code: 'serious', display: 'Serious' },
  'non-serious': { system: ADVERSE_EVENT_SERIOUSNESS, code: 'non-serious', display: 'Non-serious' },
};

/** AdverseEvent.outcome codes (FHIR R4 adverse-event-outcome); the KAP `resolved-with-sequelae` is `resolvedWithSequelae`. */
export const ADVERSE_EVENT_OUTCOME_CODES: Readonly<Record<(typeof SIDE_EFFECT_OUTCOMES)[number], KapCoding>> = {
  resolved: { system: ADVERSE_EVENT_OUTCOME, code: 'resolved', display: 'Resolved' },
  recovering: { system: ADVERSE_EVENT_OUTCOME, code: 'recovering', display: 'Recovering' },
  ongoing: { system: ADVERSE_EVENT_OUTCOME, code: 'ongoing', display: 'Ongoing' },
  'resolved-with-sequelae': { system: ADVERSE_EVENT_OUTCOME, code: 'resolvedWithSequelae', display: 'Resolved with Sequelae' },
  fatal: { system: ADVERSE_EVENT_OUTCOME, code: 'fatal', display: 'Fatal' },
  unknown: { system: ADVERSE_EVENT_OUTCOME, code: 'unknown', display: 'Unknown' },
};
