/**
 * Esketamine nasal spray monitoring rules (Spravato REMS, FDA REMS page 2024-12-31; Spravato label; instruments.md
 * §7; docs/safety.md), both attention: discharge less than 2 h after the dose start; a blood pressure missing before the
 * dose, in the window around 40 min after its start, or shortly before discharge.
 */
import type { BundleIndex } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import type { SafetyConfig } from './config.js';
import { earliestDischarge } from './earliest-discharge.js';
import { bloodPressure, dischargeTime, doseStart, dosingPhase, encounterOfDose, givenDoses, isEsketamine, observationsOfDose } from './episode-view.js';
import type { SafetySignal } from './types.js';
import { phaseOf } from './vital-sign-signals.js';

const MINUTE = 60_000;

/**
 * Discharge (the session Encounter's) less than the observation time after the start of the esketamine dose (the
 * Spravato label: observe at least 2 hours after administration; the start, as the REMS form's monitoring time and
 * discharge-time-missing's earliest discharge — one reference point for both). No signal while the Encounter has no
 * discharge time. Resources: MA, Encounter.
 */
export function esketamineEarlyDischargeSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index).filter((e) => isEsketamine(e.resource))) {
    const encounter = encounterOfDose(index, ma.resource);
    if (!encounter) {
      continue;
    }
    const discharged = timeOf(dischargeTime(encounter.resource));
    const earliest = earliestDischarge(ma.resource, config);
    if (discharged !== undefined && earliest !== undefined && discharged < earliest) {
      out.push({ rule: 'esketamine-early-discharge', severity: 'attention', resources: [ma.ref, encounter.ref] });
    }
  }
  return out;
}

/**
 * Per esketamine dose given, one signal when any of these is missing: a BP before the dose (phase pre-dose, or timed
 * before it); a BP `esketaminePostDoseBpWindowMinutes.from`–`.to` minutes after the dose start (inclusive; an untimed
 * reading counts when its phase is post-dose); when the session has a discharge time, a BP within
 * `esketaminePreDischargeBpMinutes` before it. Resources: MA.
 */
export function esketamineBloodPressureSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  const window = config.esketaminePostDoseBpWindowMinutes;
  for (const ma of givenDoses(index).filter((e) => isEsketamine(e.resource))) {
    const start = timeOf(doseStart(ma.resource));
    const bps = observationsOfDose(index, ma).filter((o) => bloodPressure(o.resource));
    const before = bps.some((o) => phaseOf(o.resource, ma.resource) === 'pre-dose');
    const around40 = bps.some((o) => {
      const t = timeOf(o.resource.effectiveDateTime);
      if (t === undefined || start === undefined) {
        return dosingPhase(o.resource) === 'post-dose';
      }
      return t >= start + window.from * MINUTE && t <= start + window.to * MINUTE;
    });
    const encounter = encounterOfDose(index, ma.resource);
    const discharged = encounter ? timeOf(dischargeTime(encounter.resource)) : undefined;
    const beforeDischarge =
      discharged === undefined ||
      bps.some((o) => {
        const t = timeOf(o.resource.effectiveDateTime);
        return t !== undefined && t <= discharged && t >= discharged - config.esketaminePreDischargeBpMinutes * MINUTE;
      });
    if (!before || !around40 || !beforeDischarge) {
      out.push({ rule: 'esketamine-bp-missing', severity: 'attention', resources: [ma.ref] });
    }
  }
  return out;
}
