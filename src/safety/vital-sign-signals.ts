/**
 * Vital-sign safety rules (instruments.md §7): pre-dose BP at/above threshold with the dose still given → urgent;
 * the discharge (last post-dose) BP at/above threshold → attention; SpO2 below threshold → urgent.
 */
import type { BundleIndex } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from './config.js';
import { bloodPressure, byEffectiveTime, doseGiven, doseStart, dosingPhase, observationsOfDose, oxygenSaturation } from './episode-view.js';
import type { SafetySignal } from './types.js';

function high(bp: { systolic?: number; diastolic?: number }, config: SafetyConfig): boolean {
  return (
    (bp.systolic !== undefined && bp.systolic >= config.systolicThreshold) ||
    (bp.diastolic !== undefined && bp.diastolic >= config.diastolicThreshold)
  );
}

/**
 * For every dose given: the *last* pre-dose BP (phase `pre-dose`, or timed before the dose start) — the reading the
 * decision to dose stood on; a high first reading re-checked below threshold before dosing does not fire.
 * Resources: the BP Observation, then the MedicationAdministration.
 */
export function predoseBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of index.ofType('MedicationAdministration')) {
    if (!doseGiven(ma.resource)) {
      continue;
    }
    const start = timeOf(doseStart(ma.resource));
    const pre = byEffectiveTime(observationsOfDose(index, ma)).filter((o) => {
      if (!bloodPressure(o.resource)) {
        return false;
      }
      const phase = dosingPhase(o.resource);
      const t = timeOf(o.resource.effectiveDateTime);
      return phase === 'pre-dose' || (phase === undefined && t !== undefined && start !== undefined && t < start);
    });
    const last = pre.at(-1);
    if (last && high(bloodPressure(last.resource) ?? {}, config)) {
      out.push({ rule: 'bp-predose-high', severity: 'urgent', resources: [last.ref, ma.ref] });
    }
  }
  return out;
}

/**
 * For every dose: the last post-dose BP (the reading at discharge) at/above threshold → attention.
 * Resources: the BP Observation, then the MedicationAdministration.
 */
export function dischargeBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of index.ofType('MedicationAdministration')) {
    const post = byEffectiveTime(observationsOfDose(index, ma)).filter(
      (o) => bloodPressure(o.resource) && dosingPhase(o.resource) === 'post-dose'
    );
    const last = post.at(-1);
    if (last && high(bloodPressure(last.resource) ?? {}, config)) {
      out.push({ rule: 'bp-discharge-high', severity: 'attention', resources: [last.ref, ma.ref] });
    }
  }
  return out;
}

/** Every SpO2 reading below the threshold → urgent. Resources: the Observation. */
export function spo2Signals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  return index
    .ofType('Observation')
    .filter((o) => {
      const value = oxygenSaturation(o.resource);
      return value !== undefined && value < config.spo2Below;
    })
    .map((o) => ({ rule: 'spo2-low', severity: 'urgent', resources: [o.ref] }));
}
