/**
 * Vital-sign safety rules (instruments.md §7; docs/safety.md): pre-dose BP at/above threshold with the dose still
 * given → urgent; for esketamine, pre-dose BP above the label's "consider delaying" level → attention; any BP during
 * or after a dose above the severe level → urgent; the discharge (last post-dose) BP at/above threshold → attention;
 * heart rate out of range → attention; respiratory rate low → urgent, high → attention; SpO2 below threshold → urgent.
 */
import type { MedicationAdministration, Observation } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from './config.js';
import {
  bloodPressure,
  byEffectiveTime,
  doseEnd,
  doseStart,
  dosingPhase,
  givenDoses,
  heartRate,
  isEsketamine,
  observationsOfDose,
  oxygenSaturation,
  respiratoryRate,
  type DosingPhase,
} from './episode-view.js';
import type { SafetySignal } from './types.js';

type Bp = { systolic?: number; diastolic?: number };

function atOrAbove(bp: Bp, systolic: number, diastolic: number): boolean {
  return (bp.systolic !== undefined && bp.systolic >= systolic) || (bp.diastolic !== undefined && bp.diastolic >= diastolic);
}

function above(bp: Bp, systolic: number, diastolic: number): boolean {
  return (bp.systolic !== undefined && bp.systolic > systolic) || (bp.diastolic !== undefined && bp.diastolic > diastolic);
}

/**
 * The phase of an Observation relative to a dose: its `kap-dosing-phase`, else by time (before the dose start:
 * pre-dose; up to the dose end: during-dose; after: post-dose); undefined when neither is known.
 */
export function phaseOf(o: Observation, ma: MedicationAdministration): DosingPhase | undefined {
  const phase = dosingPhase(o);
  if (phase) {
    return phase;
  }
  const t = timeOf(o.effectiveDateTime);
  const start = timeOf(doseStart(ma));
  const end = timeOf(doseEnd(ma));
  if (t === undefined || start === undefined) {
    return undefined;
  }
  return t < start ? 'pre-dose' : end !== undefined && t <= end ? 'during-dose' : 'post-dose';
}

/** The last pre-dose BP of a dose (phase `pre-dose`, or timed before the dose start): the reading the decision to dose stood on. */
function lastPredoseBp(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>): IndexedEntry<Observation> | undefined {
  return byEffectiveTime(observationsOfDose(index, ma))
    .filter((o) => bloodPressure(o.resource) && phaseOf(o.resource, ma.resource) === 'pre-dose')
    .at(-1);
}

/**
 * For every dose given: the *last* pre-dose BP at/above the threshold → bp-predose-high (urgent); a high first
 * reading re-checked below threshold before dosing does not fire. Resources: the BP Observation, then the MA.
 */
export function predoseBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const last = lastPredoseBp(index, ma);
    if (last && atOrAbove(bloodPressure(last.resource) ?? {}, config.systolicThreshold, config.diastolicThreshold)) {
      out.push({ rule: 'bp-predose-high', severity: 'urgent', resources: [last.ref, ma.ref] });
    }
  }
  return out;
}

/**
 * For every esketamine dose given: the last pre-dose BP above the label's "consider delaying" level (default
 * 140/90) but below the urgent threshold (bp-predose-high fires instead) → bp-predose-above-label (attention).
 * Resources: the BP Observation, then the MA.
 */
export function predoseAboveLabelSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index).filter((e) => isEsketamine(e.resource))) {
    const last = lastPredoseBp(index, ma);
    const bp = last ? (bloodPressure(last.resource) ?? {}) : undefined;
    if (
      last &&
      bp &&
      above(bp, config.esketamineDelaySystolicAbove, config.esketamineDelayDiastolicAbove) &&
      !atOrAbove(bp, config.systolicThreshold, config.diastolicThreshold)
    ) {
      out.push({ rule: 'bp-predose-above-label', severity: 'attention', resources: [last.ref, ma.ref] });
    }
  }
  return out;
}

/**
 * For every dose given: each BP during the dose (bp-during-high) or after it (bp-post-high) above the severe level
 * (default > 180 and/or > 120) → urgent. Resources: the BP Observation, then the MA.
 */
export function severeBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    for (const o of byEffectiveTime(observationsOfDose(index, ma))) {
      const bp = bloodPressure(o.resource);
      const phase = phaseOf(o.resource, ma.resource);
      if (!bp || !above(bp, config.severeSystolicAbove, config.severeDiastolicAbove)) {
        continue;
      }
      if (phase === 'during-dose') {
        out.push({ rule: 'bp-during-high', severity: 'urgent', resources: [o.ref, ma.ref] });
      } else if (phase === 'post-dose') {
        out.push({ rule: 'bp-post-high', severity: 'urgent', resources: [o.ref, ma.ref] });
      }
    }
  }
  return out;
}

/**
 * For every dose given: the last post-dose BP (the reading at discharge) at/above the threshold → attention.
 * Resources: the BP Observation, then the MA.
 */
export function dischargeBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const last = byEffectiveTime(observationsOfDose(index, ma))
      .filter((o) => bloodPressure(o.resource) && dosingPhase(o.resource) === 'post-dose')
      .at(-1);
    if (last && atOrAbove(bloodPressure(last.resource) ?? {}, config.systolicThreshold, config.diastolicThreshold)) {
      out.push({ rule: 'bp-discharge-high', severity: 'attention', resources: [last.ref, ma.ref] });
    }
  }
  return out;
}

/** Every heart rate below / above the clinic range → heart-rate-out-of-range (attention). Resources: the Observation. */
export function heartRateSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  return index
    .ofType('Observation')
    .filter((o) => {
      const value = heartRate(o.resource);
      return value !== undefined && (value < config.heartRateBelow || value > config.heartRateAbove);
    })
    .map((o) => ({ rule: 'heart-rate-out-of-range', severity: 'attention', resources: [o.ref] }));
}

/**
 * Every respiratory rate below the clinic range → respiratory-rate-low (urgent); above it → respiratory-rate-high
 * (attention). Resources: the Observation.
 */
export function respiratoryRateSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const o of index.ofType('Observation')) {
    const value = respiratoryRate(o.resource);
    if (value !== undefined && value < config.respiratoryRateBelow) {
      out.push({ rule: 'respiratory-rate-low', severity: 'urgent', resources: [o.ref] });
    } else if (value !== undefined && value > config.respiratoryRateAbove) {
      out.push({ rule: 'respiratory-rate-high', severity: 'attention', resources: [o.ref] });
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
