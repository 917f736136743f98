/**
 * FHIR Observation → KAP vital signs and the dissociation score of a dosing session (inverse of
 * src/fhir/vital-signs.ts and dissociation-score.ts). Which kind an Observation is comes from its code:
 * the vital-sign LOINC codes, body weight (read with its MedicationAdministration), CADSS-6 total, and
 * the instruments' total codes (derived from a QuestionnaireResponse: recognised and skipped).
 */
import type { Observation } from '@medplum/fhirtypes';
import { INSTRUMENT_IDS, getInstrument } from '../../instruments/index.js';
import type { Dissociation } from '../../kap/dissociation.js';
import { instant } from '../../kap/primitives.js';
import { DOSING_PHASES, type DosingPhase, type VitalSign } from '../../kap/vital-sign.js';
import { CADSS6_TOTAL } from '../../terminology/local-codes.js';
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
  /** A questionnaire total or risk Observation (derived: skipped). */
  | 'instrument-score';

const has = (o: Observation, c: { system: string; code: string }): boolean => codingIn(o.code, c.system, [c.code]) !== undefined;

/**
 * The kind of an Observation, or undefined for one the KAP model does not know.
 * @param o - the Observation
 */
export function observationKind(o: Observation): ObservationKind | undefined {
  // first: a total derived from a QuestionnaireResponse (the CADSS-6 instrument shares the dissociation code)
  if (o.meta?.profile?.includes(PROFILES.instrumentScore) || (o.derivedFrom ?? []).some((r) => r.reference !== undefined)) {
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
  if (INSTRUMENT_IDS.some((id) => has(o, getInstrument(id).totalCode as { system: string; code: string }))) {
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
      valueIn(o.component?.find((x) => codingIn(x.code, c.system, [c.code]))?.valueQuantity, UNIT_MM_HG.code);
    const systolic = part(LOINC_SYSTOLIC);
    const diastolic = part(LOINC_DIASTOLIC);
    if (systolic !== undefined && diastolic !== undefined) {
      vital = { id, time, phase, kind, systolic, diastolic };
    }
  } else {
    const value = valueIn(o.valueQuantity, kind === 'oxygen-saturation' ? UNIT_PERCENT.code : UNIT_PER_MIN.code);
    if (value !== undefined) {
      vital = { id, time, phase, kind, value };
    }
  }
  if (!vital) {
    ignore(ctx, entry, kind === 'blood-pressure' ? 'component' : 'valueQuantity', 'invalid-value');
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
