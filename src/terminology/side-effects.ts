/**
 * Side-effect codes (SNOMED CT findings, clinical-codes.md §8; local `kap-side-effect` for dissociation)
 * and AdverseEvent severity (FHIR R4 adverse-event-severity).
 */
import type { KapCoding } from './coding.js';
import { ADVERSE_EVENT_SEVERITY, KAP_SIDE_EFFECT, SNOMED } from './systems.js';

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
