/**
 * Codes of the current-medication review (docs/design/issue-13-contract.md): the medication classes that matter to
 * ketamine (LOCAL `kap-medication-class`: no standard code system groups them this way) and IPS
 * `no-known-medications` for a review that found none.
 */
import type { MedicationClass } from '../kap/medication-review.js';
import type { KapCoding } from './coding.js';
import { IPS_ABSENT_UNKNOWN, KAP_MEDICATION_CLASS } from './systems.js';

/** `kap-medication-class` (MedicationStatement.medicationCodeableConcept). */
export const MEDICATION_CLASS_CODES: Readonly<Record<MedicationClass, KapCoding>> = {
  benzodiazepine: { system: KAP_MEDICATION_CLASS, code: 'benzodiazepine', display: 'Benzodiazepine' },
  'non-benzodiazepine-hypnotic': {
    system: KAP_MEDICATION_CLASS,
    code: 'non-benzodiazepine-hypnotic',
    display: 'Non-benzodiazepine hypnotic',
  },
  psychostimulant: { system: KAP_MEDICATION_CLASS, code: 'psychostimulant', display: 'Psychostimulant' },
  maoi: { system: KAP_MEDICATION_CLASS, code: 'maoi', display: 'Monoamine oxidase inhibitor' },
  opioid: { system: KAP_MEDICATION_CLASS, code: 'opioid', display: 'Opioid' },
  'other-cns-depressant': { system: KAP_MEDICATION_CLASS, code: 'other-cns-depressant', display: 'Other CNS depressant' },
  lamotrigine: { system: KAP_MEDICATION_CLASS, code: 'lamotrigine', display: 'Lamotrigine' },
  other: { system: KAP_MEDICATION_CLASS, code: 'other', display: 'Other medication' },
};

/** IPS absent-unknown-uv-ips `no-known-medications` (IPS IG CodeSystem; the "none" MedicationStatement). */
export const NO_KNOWN_MEDICATIONS: KapCoding = { system: IPS_ABSENT_UNKNOWN, code: 'no-known-medications', display: 'No known medications' };
