/**
 * Dose frequency rules (docs/safety.md), for doses given: two esketamine doses on the same calendar day (urgent;
 * the Spravato label doses at most twice a week in induction — a second dose on a day is never in it); a dose sooner
 * after the previous one of the same prescription than its `timing.repeat` (once per N days) allows (attention);
 * more doses against a prescription than its `kap-session-count` (urgent: the extra doses are unprescribed).
 */
import type { MedicationAdministration, MedicationRequest } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension } from '../terminology/systems.js';
import { doseStart, givenDoses, isEsketamine, localDate, prescriptionOf } from './episode-view.js';
import type { SafetySignal } from './types.js';

const DAY = 86_400_000;

function byDoseTime(entries: IndexedEntry<MedicationAdministration>[]): IndexedEntry<MedicationAdministration>[] {
  return [...entries].sort((a, b) => (timeOf(doseStart(a.resource)) ?? 0) - (timeOf(doseStart(b.resource)) ?? 0));
}

/** Every esketamine dose given on a day an earlier one was given. Resources: this MA, the day's first MA. */
export function esketamineSameDaySignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  const firstOfDay = new Map<string, IndexedEntry<MedicationAdministration>>();
  for (const ma of byDoseTime(givenDoses(index).filter((e) => isEsketamine(e.resource)))) {
    const start = doseStart(ma.resource);
    if (!start) {
      continue;
    }
    const first = firstOfDay.get(localDate(start));
    if (first) {
      out.push({ rule: 'esketamine-two-doses-same-day', severity: 'urgent', resources: [ma.ref, first.ref] });
    } else {
      firstOfDay.set(localDate(start), ma);
    }
  }
  return out;
}

/** The given doses of each prescription in the Bundle, by dose time. */
function dosesByPrescription(index: BundleIndex): { mr: IndexedEntry<MedicationRequest>; doses: IndexedEntry<MedicationAdministration>[] }[] {
  const groups = new Map<string, { mr: IndexedEntry<MedicationRequest>; doses: IndexedEntry<MedicationAdministration>[] }>();
  for (const ma of givenDoses(index)) {
    const mr = prescriptionOf(index, ma.resource);
    if (mr) {
      const group = groups.get(mr.ref) ?? { mr, doses: [] };
      group.doses.push(ma);
      groups.set(mr.ref, group);
    }
  }
  return [...groups.values()].map((g) => ({ mr: g.mr, doses: byDoseTime(g.doses) }));
}

/** Whole calendar days between the local dates of two dateTimes. */
function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(localDate(to)) - Date.parse(localDate(from))) / DAY);
}

/**
 * The least interval a prescription allows between doses, from `dosageInstruction[0].timing.repeat` with
 * frequency 1 (or none): period in days (`d`, `wk`) or in milliseconds (`h`, `min`); undefined otherwise.
 */
function minInterval(mr: MedicationRequest): { days: number } | { ms: number } | undefined {
  const repeat = mr.dosageInstruction?.[0]?.timing?.repeat;
  if (!repeat?.period || (repeat.frequency !== undefined && repeat.frequency !== 1)) {
    return undefined;
  }
  switch (repeat.periodUnit) {
    case 'd':
      return { days: repeat.period };
    case 'wk':
      return { days: repeat.period * 7 };
    case 'h':
      return { ms: repeat.period * 3_600_000 };
    case 'min':
      return { ms: repeat.period * 60_000 };
    default:
      return undefined;
  }
}

/**
 * A dose given sooner after the previous dose of the same prescription than the prescription allows (once per N
 * days: fewer than N calendar days apart). Resources: this MA, the MR, the previous MA.
 */
export function doseIntervalSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { mr, doses } of dosesByPrescription(index)) {
    const least = minInterval(mr.resource);
    if (!least) {
      continue;
    }
    for (let i = 1; i < doses.length; i++) {
      const prev = doseStart(doses[i - 1].resource);
      const cur = doseStart(doses[i].resource);
      if (!prev || !cur) {
        continue;
      }
      const short = 'days' in least ? calendarDays(prev, cur) < least.days : Date.parse(cur) - Date.parse(prev) < least.ms;
      if (short) {
        out.push({ rule: 'dose-interval-short', severity: 'attention', resources: [doses[i].ref, mr.ref, doses[i - 1].ref] });
      }
    }
  }
  return out;
}

/** Every dose given against a prescription beyond its `kap-session-count`. Resources: this MA, the MR. */
export function sessionsExceedSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { mr, doses } of dosesByPrescription(index)) {
    const count = mr.resource.extension?.find((e) => e.url === kapExtension('kap-session-count'))?.valuePositiveInt;
    if (count === undefined) {
      continue;
    }
    doses.slice(count).forEach((ma) => out.push({ rule: 'sessions-exceed-prescription', severity: 'urgent', resources: [ma.ref, mr.ref] }));
  }
  return out;
}
