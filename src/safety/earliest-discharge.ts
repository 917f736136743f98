/**
 * The earliest time a patient may leave after a dose (docs/safety.md): the one reference the discharge rules share —
 * esketamine-early-discharge, observation-too-short and discharge-time-missing.
 */
import type { MedicationAdministration } from '@medplum/fhirtypes';
import { timeOf } from '../instruments/date-time.js';
import { KAP_ROUTES } from '../kap/dose.js';
import type { SafetyConfig } from './config.js';
import { doseEnd, doseStart, isEsketamine, routeOf } from './episode-view.js';

const MINUTE = 60_000;

/**
 * When the patient may be discharged at the earliest (epoch ms): esketamine, the dose start +
 * `esketamineObservationMinutes` (the Spravato label: at least 2 hours after administration); racemic ketamine, the
 * dose end + the route's `minObservationMinutes`, the longest of all routes when the route is not recognised.
 * Undefined when the dose has no usable time.
 */
export function earliestDischarge(ma: MedicationAdministration, config: SafetyConfig): number | undefined {
  if (isEsketamine(ma)) {
    const start = timeOf(doseStart(ma));
    return start === undefined ? undefined : start + config.esketamineObservationMinutes * MINUTE;
  }
  const end = timeOf(doseEnd(ma));
  const route = routeOf(ma);
  const minutes = route !== undefined ? config.routes[route].minObservationMinutes : Math.max(...KAP_ROUTES.map((r) => config.routes[r].minObservationMinutes));
  return end === undefined ? undefined : end + minutes * MINUTE;
}
