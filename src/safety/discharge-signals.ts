/**
 * Discharge rules (docs/safety.md), attention, for doses given: a dosing session over without a discharge time
 * (discharge-time-missing, below); discharge criteria recorded as not met (the `kap-discharge-readiness`
 * Observation, valueBoolean false); the patient drove home (its `discharge-transport` component `drove-self`; the
 * Spravato label: no driving until the next day after a restful sleep — applied to racemic ketamine too, project
 * rule).
 */
import type { Encounter, MedicationAdministration } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { KAP_DISCHARGE_TRANSPORT, KAP_OBSERVATION } from '../terminology/systems.js';
import type { SafetyConfig } from './config.js';
import { earliestDischarge } from './earliest-discharge.js';
import { doseStart, encounterOfDose, givenDoses, hasCoding, observationsOfDose, recordedDischargeTime, usable } from './episode-view.js';
import type { SafetySignal } from './types.js';

const MINUTE = 60_000;

/**
 * An outpatient KAP session still open this long after its dose started is over (project default, no published
 * source): a record sent earlier, with no discharge time yet, may come from a patient still being observed past the
 * minimum, and must not raise a false alarm at the prescriber.
 */
export const OPEN_SESSION_OVER_MS = 12 * 60 * MINUTE;

/**
 * True when a dosing session with no end is over by the episode's own evidence (issue 13: a session's `end` is
 * optional, so an unended Encounter alone does not say the patient is still there):
 * - another session of the episode (an Encounter of the Bundle) started after the dose start;
 * - the episode (EpisodeOfCare) is `finished` or `cancelled`;
 * - the episode was updated (Provenance `recorded` = the episode's `updatedAt`) later than both the earliest
 *   discharge (earliestDischarge: the dose + the required observation time) and {@link OPEN_SESSION_OVER_MS} after
 *   the dose start (strictly later: at that very minute the session may still be ending).
 * A record sent during the observation of its last, ongoing session, or the same day while the patient may still be
 * there, fires nothing.
 */
function sessionOver(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>, encounter: IndexedEntry<Encounter>, config: SafetyConfig): boolean {
  const dosed = timeOf(doseStart(ma.resource));
  if (dosed === undefined) {
    return false;
  }
  const laterSession = index
    .ofType('Encounter')
    .some((e) => e.ref !== encounter.ref && (timeOf(e.resource.period?.start) ?? -Infinity) > dosed);
  if (laterSession) {
    return true;
  }
  const episodeClosed = index.ofType('EpisodeOfCare').some((e) => e.resource.status === 'finished' || e.resource.status === 'cancelled');
  if (episodeClosed) {
    return true;
  }
  const earliest = earliestDischarge(ma.resource, config);
  if (earliest === undefined) {
    return false;
  }
  const over = Math.max(earliest, dosed + OPEN_SESSION_OVER_MS);
  return index.ofType('Provenance').some((p) => (timeOf(p.resource.recorded) ?? -Infinity) > over);
}

/**
 * A dose given whose session has no discharge time recorded (`dischargedAt`: the Encounter's `finished`
 * statusHistory entry) although the session is over: its Encounter is `finished` (the session has an end), or it has
 * no end and sessionOver says the episode shows it over. Resources: MA, Encounter.
 */
export function dischargeTimeMissingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const encounter = encounterOfDose(index, ma.resource);
    if (!encounter || recordedDischargeTime(encounter.resource) !== undefined) {
      continue;
    }
    if (encounter.resource.status === 'finished' || sessionOver(index, ma, encounter, config)) {
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
