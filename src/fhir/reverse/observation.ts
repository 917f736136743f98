/**
 * FHIR Observation → KAP vital signs (and MOAA/S sedation) and the dissociation score of a dosing session (inverse
 * of src/fhir/vital-signs.ts and dissociation-score.ts). Which kind an Observation is comes from its code: the
 * vital-sign LOINC codes, `kap-observation#moaas`, body weight (read with its MedicationAdministration), CADSS-6
 * total, respiratory depression, discharge readiness and the dosing plan (dosing-observations.ts), the
 * `kap-screening` items (screening.ts), and what the instruments derive from a QuestionnaireResponse (totals, PHQ-9
 * item 9, change from baseline: recognised and skipped).
 */
import type { Observation } from '@medplum/fhirtypes';
import { INSTRUMENT_IDS, getInstrument } from '../../instruments/index.js';
import type { Dissociation } from '../../kap/dissociation.js';
import { instant } from '../../kap/primitives.js';
import { DOSING_PHASES, type DosingPhase, type VitalSign } from '../../kap/vital-sign.js';
import { CADSS6_TOTAL, KAP_OBSERVATION_CODES, MOAAS_SCORE } from '../../terminology/local-codes.js';
import { KAP_SCREENING, kapProfile } from '../../terminology/systems.js';
import { UNIT_MM_HG, UNIT_PERCENT, UNIT_PER_MIN } from '../../terminology/units.js';
import {
  LOINC_BODY_WEIGHT,
  LOINC_BP_PANEL,
  LOINC_DIASTOLIC,
  LOINC_HEART_RATE,
  LOINC_RESPIRATORY_RATE,
  LOINC_SPO2,
  LOINC_SPO2_PULSE_OXIMETRY,
  LOINC_SYSTOLIC,
} from '../../terminology/vital-signs.js';
import { EXTENSIONS, PROFILES } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn } from './codings.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { valueIn } from './dose.js';
import { kapDateTime } from './times.js';

/** What an Observation is to the KAP model. */
export type ObservationKind =
  | VitalSign['kind']
  | 'body-weight'
  | 'dissociation'
  | 'respiratory-depression'
  | 'discharge-readiness'
  | 'dosing-plan'
  /** A contraindication / precaution screening item (any session). */
  | 'screening'
  /** A questionnaire total, risk, PHQ-9 item 9 or change-from-baseline Observation (derived: skipped). */
  | 'instrument-score';

/** Profiles of the Observations the instruments derive from a QuestionnaireResponse. */
const DERIVED_PROFILES = [
  PROFILES.instrumentScore,
  kapProfile('kap-phq9-item9'),
  kapProfile('kap-change-from-baseline'),
];

/** Codes of derived instrument Observations other than the totals: PHQ-9 item 9 and the changes from baseline. */
function derivedInstrumentCodes(): { system: string; code: string }[] {
  const item9 = getInstrument('phq9').items.find((i) => i.linkId === 'phq9-9')?.code;
  const c = KAP_OBSERVATION_CODES;
  return [...(item9?.system && item9.code ? [{ system: item9.system, code: item9.code }] : []), c.phq9Change, c.gad7Change, c.pcl5Change];
}

const has = (o: Observation, c: { system: string; code: string }): boolean => codingIn(o.code, c.system, [c.code]) !== undefined;

/**
 * The kind of an Observation, or undefined for one the KAP model does not know.
 * @param o - the Observation
 */
export function observationKind(o: Observation): ObservationKind | undefined {
  // first: a total derived from a QuestionnaireResponse (the CADSS-6 instrument shares the dissociation code)
  const profiles = Array.isArray(o.meta?.profile) ? o.meta.profile : [];
  if (profiles.some((p) => DERIVED_PROFILES.includes(p)) || (Array.isArray(o.derivedFrom) && o.derivedFrom.some((r) => r?.reference !== undefined))) {
    return 'instrument-score';
  }
  if (has(o, LOINC_BP_PANEL)) {
    return 'blood-pressure';
  }
  if (has(o, LOINC_HEART_RATE)) {
    return 'heart-rate';
  }
  if (has(o, LOINC_RESPIRATORY_RATE)) {
    return 'respiratory-rate';
  }
  if (has(o, LOINC_SPO2) || has(o, LOINC_SPO2_PULSE_OXIMETRY)) {
    return 'oxygen-saturation';
  }
  if (has(o, LOINC_BODY_WEIGHT)) {
    return 'body-weight';
  }
  if (has(o, CADSS6_TOTAL)) {
    return 'dissociation';
  }
  if (has(o, MOAAS_SCORE)) {
    return 'sedation';
  }
  if (has(o, KAP_OBSERVATION_CODES.respiratoryDepression)) {
    return 'respiratory-depression';
  }
  if (has(o, KAP_OBSERVATION_CODES.dischargeReadiness)) {
    return 'discharge-readiness';
  }
  if (has(o, KAP_OBSERVATION_CODES.dosingPlan)) {
    return 'dosing-plan';
  }
  if (codingIn(o.code, KAP_SCREENING) !== undefined) {
    return 'screening';
  }
  if (
    INSTRUMENT_IDS.some((id) => has(o, getInstrument(id).totalCode as { system: string; code: string })) ||
    derivedInstrumentCodes().some((c) => has(o, c))
  ) {
    return 'instrument-score';
  }
  return undefined;
}

/** The dose times a phase is inferred from when an EHR Observation has no `kap-dosing-phase`. */
export interface DoseTimes {
  doseStart: string;
  doseEnd?: string;
}

/** The dosing phase of a time (the forward mapping's rule for the dissociation score). */
function phaseAt(time: string, dose: DoseTimes): DosingPhase {
  const t = instant(time);
  if (t < instant(dose.doseStart)) {
    return 'pre-dose';
  }
  return dose.doseEnd !== undefined && t > instant(dose.doseEnd) ? 'post-dose' : 'during-dose';
}

const READ = [
  'status',
  'category',
  'code',
  'subject',
  'encounter',
  'effectiveDateTime',
  'partOf',
  'valueQuantity',
  'valueInteger',
  'component',
];

/**
 * Reads a vital sign.
 * @param entry - the Observation entry
 * @param kind - its kind (from {@link observationKind})
 * @param dose - the dose times of its session
 * @param ctx - the context
 * @returns the vital sign, or undefined (reported) when its value or time is missing
 */
export function fromVitalSignObservation(
  entry: IndexedEntry<Observation>,
  kind: VitalSign['kind'],
  dose: DoseTimes,
  ctx: UnmapContext
): VitalSign | undefined {
  const o = entry.resource;
  const id = kapIdOf(entry, ctx);
  const time = kapDateTime(o.effectiveDateTime ?? o.effectiveInstant);
  if (id === undefined || time === undefined) {
    ignore(ctx, entry, id === undefined ? '' : 'effective', 'missing-element');
    return undefined;
  }
  const phaseCode = (o.extension ?? []).find((e) => e.url === EXTENSIONS.dosingPhase)?.valueCode;
  const phase = DOSING_PHASES.includes(phaseCode as DosingPhase) ? (phaseCode as DosingPhase) : phaseAt(time, dose);
  let vital: VitalSign | undefined;
  if (kind === 'blood-pressure') {
    const part = (c: { system: string; code: string }): number | undefined =>
      valueIn(
        (Array.isArray(o.component) ? o.component : []).find((x) => codingIn(x?.code, c.system, [c.code]))?.valueQuantity,
        UNIT_MM_HG.code
      );
    const systolic = part(LOINC_SYSTOLIC);
    const diastolic = part(LOINC_DIASTOLIC);
    if (systolic !== undefined && diastolic !== undefined) {
      vital = { id, time, phase, kind, systolic, diastolic };
    }
  } else if (kind === 'sedation') {
    const moaas = o.valueInteger;
    if (typeof moaas === 'number' && Number.isInteger(moaas) && moaas >= 0 && moaas <= 5) {
      vital = { id, time, phase, kind, moaas };
    }
  } else {
    const value = valueIn(o.valueQuantity, kind === 'oxygen-saturation' ? UNIT_PERCENT.code : UNIT_PER_MIN.code);
    if (value !== undefined) {
      vital = { id, time, phase, kind, value };
    }
  }
  if (!vital) {
    ignore(ctx, entry, kind === 'blood-pressure' ? 'component' : kind === 'sedation' ? 'valueInteger' : 'valueQuantity', 'invalid-value');
    return undefined;
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, o.extension, '', [EXTENSIONS.dosingPhase]);
  ignoreUnreadElements(ctx, entry, READ);
  return vital;
}

/**
 * Reads the dissociation score (CADSS-6 total).
 * @param entry - the Observation entry
 * @param ctx - the context
 * @returns the score, or undefined (reported) when it has no integer value in range
 */
export function fromDissociationObservation(entry: IndexedEntry<Observation>, ctx: UnmapContext): Dissociation | undefined {
  const o = entry.resource;
  const score = o.valueInteger ?? o.valueQuantity?.value;
  if (score === undefined || !Number.isInteger(score) || score < 0 || score > 24) {
    ignore(ctx, entry, 'value', 'invalid-value');
    return undefined;
  }
  const result: Dissociation = { instrument: 'cadss6', score };
  const time = kapDateTime(o.effectiveDateTime);
  if (time !== undefined) {
    result.time = time;
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, o.extension, '', [EXTENSIONS.dosingPhase]);
  ignoreUnreadElements(ctx, entry, READ);
  return result;
}
