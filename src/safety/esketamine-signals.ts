/**
 * Esketamine nasal spray rules (Spravato REMS, FDA REMS page 2024-12-31; Spravato label; instruments.md §7), both
 * attention: discharge less than 2 h after the dose; no blood pressure before the dose, or none ~40 min after it.
 */
import type { BundleIndex } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from './config.js';
import { bloodPressure, dischargeTime, doseEnd, doseGiven, doseStart, dosingPhase, isEsketamine, observationsOfDose } from './episode-view.js';
import type { SafetySignal } from './types.js';

const MINUTE = 60_000;

/**
 * Discharge (the session Encounter's) less than the observation time after the end of the esketamine dose.
 * No signal while the Encounter has no discharge time. Resources: MA, Encounter.
 */
export function esketamineEarlyDischargeSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of index.ofType('MedicationAdministration')) {
    if (!doseGiven(ma.resource) || !isEsketamine(ma.resource)) {
      continue;
    }
    const encounter = index.resolve(ma.resource.context);
    if (encounter?.resource.resourceType !== 'Encounter') {
      continue;
    }
    const discharged = timeOf(dischargeTime(encounter.resource));
    const dosed = timeOf(doseEnd(ma.resource));
    if (discharged !== undefined && dosed !== undefined && discharged - dosed < config.esketamineObservationMinutes * MINUTE) {
      out.push({ rule: 'esketamine-early-discharge', severity: 'attention', resources: [ma.ref, encounter.ref] });
    }
  }
  return out;
}

/**
 * No BP before the esketamine dose (phase pre-dose, or timed before it), or none at least
 * `esketaminePostDoseBpMinutes` after the dose start (by time; an untimed reading counts when its phase is
 * post-dose). Resources: MA.
 */
export function esketamineBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of index.ofType('MedicationAdministration')) {
    if (!doseGiven(ma.resource) || !isEsketamine(ma.resource)) {
      continue;
    }
    const start = timeOf(doseStart(ma.resource));
    const bps = observationsOfDose(index, ma).filter((o) => bloodPressure(o.resource));
    const before = bps.some((o) => {
      const t = timeOf(o.resource.effectiveDateTime);
      return dosingPhase(o.resource) === 'pre-dose' || (t !== undefined && start !== undefined && t < start);
    });
    const after = bps.some((o) => {
      const t = timeOf(o.resource.effectiveDateTime);
      if (t === undefined || start === undefined) {
        return dosingPhase(o.resource) === 'post-dose';
      }
      return t >= start + config.esketaminePostDoseBpMinutes * MINUTE;
    });
    if (!before || !after) {
      out.push({ rule: 'esketamine-bp-missing', severity: 'attention', resources: [ma.ref] });
    }
  }
  return out;
}
