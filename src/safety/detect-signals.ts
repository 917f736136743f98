/**
 * All safety rules over one mapped KAP episode (a Bundle shaped as docs/conventions.md describes). Pure: the same
 * Bundle and config always give the same signals, in rule order then Bundle order.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import {
  moaasSignals,
  respiratoryDepressionSignals,
  seriousAdverseEventSignals,
  sideEffectSignals,
} from './clinical-event-signals.js';
import { safetyConfig, type SafetyOverrides } from './config.js';
import { contraindicationSignals } from './contraindication-signals.js';
import { dischargeReadinessSignals, dischargeTimeMissingSignals } from './discharge-signals.js';
import { dosePerKgCeilingSignals, dosePerKgUncheckedSignals, esketamineDoseSignals, esketamineRouteSignals } from './dose-plausibility-signals.js';
import { doseAboveSignals, doseWithoutPrescriptionSignals, routeMismatchSignals } from './dose-signals.js';
import { esketamineBloodPressureSignals, esketamineEarlyDischargeSignals } from './esketamine-signals.js';
import { doseIntervalSignals, esketamineSameDaySignals, sessionsExceedSignals } from './frequency-signals.js';
import { interactionSignals, medicationReviewMissingSignals } from './medication-signals.js';
import {
  observationTooShortSignals,
  oxygenSaturationMissingSignals,
  racemicBloodPressureMissingSignals,
  racemicRateMissingSignals,
} from './monitoring-signals.js';
import { cssrsInconsistentSignals, cssrsSignals, phq9Item9Signals, phq9Item9UnansweredSignals } from './questionnaire-signals.js';
import { remsFormIncompleteSignals } from '../rems/rems-signals.js';
import { SAFETY_RULES, type SafetySignal } from './types.js';
import {
  dischargeBloodPressureSignals,
  heartRateSignals,
  predoseAboveLabelSignals,
  predoseBloodPressureSignals,
  respiratoryRateSignals,
  severeBloodPressureSignals,
  spo2Signals,
} from './vital-sign-signals.js';

/**
 * Detects the safety signals of an episode.
 * @param bundle - the episode's transaction (or collection) Bundle
 * @param overrides - the clinic's threshold overrides (defaults: DEFAULT_SAFETY_CONFIG)
 * @returns the signals (urgent, attention, information), each with the fullUrls of the resources that triggered it
 */
export function detectSignals(bundle: Bundle, overrides: SafetyOverrides = {}): SafetySignal[] {
  const config = safetyConfig(overrides);
  const index = new BundleIndex(bundle);
  const signals = [
    ...phq9Item9Signals(index),
    ...phq9Item9UnansweredSignals(index),
    ...cssrsSignals(index, config),
    ...cssrsInconsistentSignals(index),
    ...predoseBloodPressureSignals(index, config),
    ...predoseAboveLabelSignals(index, config),
    ...severeBloodPressureSignals(index, config),
    ...dischargeBloodPressureSignals(index, config),
    ...heartRateSignals(index, config),
    ...respiratoryRateSignals(index, config),
    ...spo2Signals(index, config),
    ...respiratoryDepressionSignals(index),
    ...doseAboveSignals(index, config),
    ...doseWithoutPrescriptionSignals(index),
    ...routeMismatchSignals(index),
    ...esketamineDoseSignals(index, config),
    ...esketamineRouteSignals(index),
    ...dosePerKgCeilingSignals(index, config),
    ...dosePerKgUncheckedSignals(index, config),
    ...esketamineSameDaySignals(index),
    ...doseIntervalSignals(index, config),
    ...sessionsExceedSignals(index),
    ...contraindicationSignals(index),
    ...interactionSignals(index),
    ...medicationReviewMissingSignals(index, config),
    ...sideEffectSignals(index),
    ...seriousAdverseEventSignals(index),
    ...esketamineEarlyDischargeSignals(index, config),
    ...esketamineBloodPressureSignals(index, config),
    ...racemicBloodPressureMissingSignals(index, config),
    ...oxygenSaturationMissingSignals(index, config),
    ...racemicRateMissingSignals(index, config),
    ...observationTooShortSignals(index, config),
    ...dischargeTimeMissingSignals(index, config),
    ...dischargeReadinessSignals(index),
    ...remsFormIncompleteSignals(index, config),
    ...moaasSignals(index),
  ];
  const rank = (s: SafetySignal): number => SAFETY_RULES.indexOf(s.rule);
  return signals.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}
