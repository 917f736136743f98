/**
 * Required monitoring of a dose (docs/safety.md), all attention and only for doses given (a held or refused dose
 * needs none): pulse oximetry from the dose start on (esketamine: Spravato REMS; racemic ketamine: per route);
 * racemic ketamine's per-route minimum of blood pressures and of observation time before discharge (clinic settings,
 * `SafetyConfig.routes`). Esketamine's blood pressures and 2 h observation are esketamine-signals.ts.
 */
import type { BundleIndex } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from './config.js';
import { earliestDischarge } from './earliest-discharge.js';
import {
  bloodPressure,
  dischargeTime,
  encounterOfDose,
  fromDoseOn,
  givenDoses,
  heartRate,
  isEsketamine,
  observationsOfDose,
  oxygenSaturation,
  racemicDosesByRoute,
  respiratoryRate,
  routeOf,
} from './episode-view.js';
import type { SafetySignal } from './types.js';
import { phaseOf } from './vital-sign-signals.js';

/**
 * No SpO2 reading during or after a dose (phase during-/post-dose, or timed from the dose start on) when required:
 * esketamine (`esketamineRequireOxygenSaturation`) or racemic ketamine by a route whose settings require it.
 * Resources: MA.
 */
export function oxygenSaturationMissingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const route = routeOf(ma.resource);
    const required = isEsketamine(ma.resource)
      ? config.esketamineRequireOxygenSaturation
      : route !== undefined && config.routes[route].requireOxygenSaturation;
    if (!required) {
      continue;
    }
    const measured = observationsOfDose(index, ma).some((o) => {
      const phase = phaseOf(o.resource, ma.resource);
      return oxygenSaturation(o.resource) !== undefined && fromDoseOn(phase);
    });
    if (!measured) {
      out.push({ rule: 'monitoring-spo2-missing', severity: 'attention', resources: [ma.ref] });
    }
  }
  return out;
}

/**
 * Racemic ketamine: no BP before the dose when the route requires one, or fewer BPs from the dose start on than the
 * route's minimum. Resources: MA.
 */
export function racemicBloodPressureMissingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { ma, route } of racemicDosesByRoute(index)) {
    const settings = config.routes[route];
    const phases = observationsOfDose(index, ma)
      .filter((o) => bloodPressure(o.resource))
      .map((o) => phaseOf(o.resource, ma.resource));
    const before = phases.some((p) => p === 'pre-dose');
    const after = phases.filter(fromDoseOn).length;
    if ((settings.requirePreDoseBloodPressure && !before) || after < settings.minBloodPressuresAfterDose) {
      out.push({ rule: 'monitoring-bp-missing', severity: 'attention', resources: [ma.ref] });
    }
  }
  return out;
}

/**
 * Racemic ketamine: fewer heart rates (monitoring-heart-rate-missing) or respiratory rates
 * (monitoring-respiratory-rate-missing) from the dose start on (phase during-/post-dose, or timed so) than the
 * route's `minHeartRatesAfterDose` / `minRespiratoryRatesAfterDose` (default 0: not required; a clinic's setting, no
 * published source). Resources: MA.
 */
export function racemicRateMissingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { ma, route } of racemicDosesByRoute(index)) {
    const after = observationsOfDose(index, ma).filter((o) => fromDoseOn(phaseOf(o.resource, ma.resource)));
    const settings = config.routes[route];
    if (after.filter((o) => heartRate(o.resource) !== undefined).length < settings.minHeartRatesAfterDose) {
      out.push({ rule: 'monitoring-heart-rate-missing', severity: 'attention', resources: [ma.ref] });
    }
    if (after.filter((o) => respiratoryRate(o.resource) !== undefined).length < settings.minRespiratoryRatesAfterDose) {
      out.push({ rule: 'monitoring-respiratory-rate-missing', severity: 'attention', resources: [ma.ref] });
    }
  }
  return out;
}

/**
 * Racemic ketamine: discharge less than the route's minimum observation time after the end of the dose. No signal
 * while the session has no discharge time (discharge-time-missing covers it). Resources: MA, Encounter.
 */
export function observationTooShortSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { ma } of racemicDosesByRoute(index)) {
    const encounter = encounterOfDose(index, ma.resource);
    if (!encounter) {
      continue;
    }
    const discharged = timeOf(dischargeTime(encounter.resource));
    const earliest = earliestDischarge(ma.resource, config);
    if (discharged !== undefined && earliest !== undefined && discharged < earliest) {
      out.push({ rule: 'observation-too-short', severity: 'attention', resources: [ma.ref, encounter.ref] });
    }
  }
  return out;
}
