/**
 * Discharge rules (docs/safety.md), attention, for doses given: a dosing session that ended (Encounter `finished`)
 * without a discharge time; discharge criteria recorded as not met (the `kap-discharge-readiness` Observation,
 * valueBoolean false); the patient drove home (its `discharge-transport` component `drove-self`; the Spravato label:
 * no driving until the next day after a restful sleep — applied to racemic ketamine too, project rule).
 */
import type { BundleIndex } from '../bundle-index.js';
import { KAP_DISCHARGE_TRANSPORT, KAP_OBSERVATION } from '../terminology/systems.js';
import { encounterOfDose, givenDoses, hasCoding, observationsOfDose, recordedDischargeTime, usable } from './episode-view.js';
import type { SafetySignal } from './types.js';

/** A dose given whose session Encounter is `finished` with no discharge time recorded. Resources: MA, Encounter. */
export function dischargeTimeMissingSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const encounter = encounterOfDose(index, ma.resource);
    if (encounter?.resource.status === 'finished' && recordedDischargeTime(encounter.resource) === undefined) {
      out.push({ rule: 'discharge-time-missing', severity: 'attention', resources: [ma.ref, encounter.ref] });
    }
  }
  return out;
}

/**
 * Per dose given, its discharge-readiness Observation: criteria not met → discharge-criteria-not-met; transport
 * `drove-self` → discharge-drove-self. Resources: the Observation, then the MA.
 */
export function dischargeReadinessSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const readiness = observationsOfDose(index, ma).filter(
      (o) => usable(o.resource) && hasCoding(o.resource.code.coding, KAP_OBSERVATION, 'discharge-readiness')
    );
    for (const o of readiness) {
      if (o.resource.valueBoolean === false) {
        out.push({ rule: 'discharge-criteria-not-met', severity: 'attention', resources: [o.ref, ma.ref] });
      }
      const drove = (o.resource.component ?? []).some(
        (c) =>
          hasCoding(c.code.coding, KAP_OBSERVATION, 'discharge-transport') &&
          hasCoding(c.valueCodeableConcept?.coding, KAP_DISCHARGE_TRANSPORT, 'drove-self')
      );
      if (drove) {
        out.push({ rule: 'discharge-drove-self', severity: 'attention', resources: [o.ref, ma.ref] });
      }
    }
  }
  return out;
}
