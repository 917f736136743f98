/**
 * All safety rules over one mapped KAP episode (a Bundle shaped as docs/conventions.md describes). Pure: the same
 * Bundle and config always give the same signals, in rule order then Bundle order.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { BundleIndex } from '../bundle-index.js';
import { moaasSignals, sideEffectSignals } from './clinical-event-signals.js';
import { safetyConfig, type SafetyConfig } from './config.js';
import { doseAboveSignals, doseWithoutPrescriptionSignals, routeMismatchSignals } from './dose-signals.js';
import { esketamineBloodPressureSignals, esketamineEarlyDischargeSignals } from './esketamine-signals.js';
import { cssrsSignals, phq9Item9Signals } from './questionnaire-signals.js';
import { SAFETY_RULES, type SafetySignal } from './types.js';
import { dischargeBloodPressureSignals, predoseBloodPressureSignals, spo2Signals } from './vital-sign-signals.js';

/**
 * Detects the safety signals of an episode.
 * @param bundle - the episode's transaction (or collection) Bundle
 * @param overrides - threshold overrides (defaults: DEFAULT_SAFETY_CONFIG)
 * @returns the signals, urgent and attention, each with the fullUrls of the resources that triggered it
 */
export function detectSignals(bundle: Bundle, overrides: Partial<SafetyConfig> = {}): SafetySignal[] {
  const config = safetyConfig(overrides);
  const index = new BundleIndex(bundle);
  const signals = [
    ...phq9Item9Signals(index),
    ...cssrsSignals(index, config),
    ...predoseBloodPressureSignals(index, config),
    ...dischargeBloodPressureSignals(index, config),
    ...spo2Signals(index, config),
    ...doseAboveSignals(index, config),
    ...doseWithoutPrescriptionSignals(index),
    ...routeMismatchSignals(index),
    ...sideEffectSignals(index),
    ...esketamineEarlyDischargeSignals(index, config),
    ...esketamineBloodPressureSignals(index, config),
    ...moaasSignals(index),
  ];
  const rank = (s: SafetySignal): number => SAFETY_RULES.indexOf(s.rule);
  return signals.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}
