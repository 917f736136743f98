/**
 * Dose frequency rules (docs/safety.md), for doses given: two esketamine doses within 24 hours (urgent; rule code
 * `esketamine-two-doses-same-day`, a rolling 24-hour window of elapsed time, not the calendar date: 19:15 and 00:15
 * the next day fire; the Spravato label doses at most twice a week in induction — two doses within a day are never in
 * it); a dose sooner after the previous one of the same prescription than its minimum interval (maxDosePerPeriod or timing.repeat: once per N days)
 * allows (attention: N × 24 h of elapsed time less `doseIntervalToleranceMinutes`); more doses against a
 * prescription than its `kap-session-count` (urgent: the extra doses are unprescribed). The signals naming two doses
 * name the later one first (the dose that broke the rule: src/sync/session-findings.ts delivers the signal with it).
 */
import type { MedicationAdministration, MedicationRequest } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension } from '../terminology/systems.js';
import type { SafetyConfig } from './config.js';
import { doseStart, givenDoses, isEsketamine, prescriptionOf } from './episode-view.js';
import type { SafetySignal } from './types.js';

const DAY = 86_400_000;

function byDoseTime(entries: IndexedEntry<MedicationAdministration>[]): IndexedEntry<MedicationAdministration>[] {
  return [...entries].sort((a, b) => (timeOf(doseStart(a.resource)) ?? 0) - (timeOf(doseStart(b.resource)) ?? 0));
}

/**
 * Every esketamine dose given less than 24 hours (elapsed) after the previous one (exactly 24 h does not fire).
 * Resources: this MA, the previous MA.
 */
export function esketamineSameDaySignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  let previous: { ma: IndexedEntry<MedicationAdministration>; t: number } | undefined;
  for (const ma of byDoseTime(givenDoses(index).filter((e) => isEsketamine(e.resource)))) {
    const t = timeOf(doseStart(ma.resource));
    if (t === undefined) {
      continue;
    }
    if (previous && t - previous.t < DAY) {
      out.push({ rule: 'esketamine-two-doses-same-day', severity: 'urgent', resources: [ma.ref, previous.ma.ref] });
    }
    previous = { ma, t };
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

/** A period of so many days, or of so many milliseconds, by its unit (`d`, `wk`; `h`, `min`); undefined otherwise. */
function periodOf(value: number | undefined, unit: string | undefined): { days: number } | { ms: number } | undefined {
  if (!value) {
    return undefined;
  }
  switch (unit) {
    case 'd':
      return { days: value };
    case 'wk':
      return { days: value * 7 };
    case 'h':
      return { ms: value * 3_600_000 };
    case 'min':
      return { ms: value * 60_000 };
    default:
      return undefined;
  }
}

/**
 * The least interval a prescription allows between doses: `dosageInstruction[0].maxDosePerPeriod` whose numerator
 * is the prescribed dose (one dose per period: what kap-fhir writes, docs/conventions.md "Minimum interval"), or a
 * `timing.repeat` with frequency 1 (or none); undefined otherwise.
 */
function minInterval(mr: MedicationRequest): { days: number } | { ms: number } | undefined {
  const dosage = mr.dosageInstruction?.[0];
  const limit = dosage?.maxDosePerPeriod;
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  if (limit?.numerator?.value !== undefined && limit.numerator.value === dose?.value && limit.numerator.code === dose?.code) {
    const period = periodOf(limit.denominator?.value, limit.denominator?.code);
    if (period) {
      return period;
    }
  }
  const repeat = dosage?.timing?.repeat;
  if (!repeat?.period || (repeat.frequency !== undefined && repeat.frequency !== 1)) {
    return undefined;
  }
  return periodOf(repeat.period, repeat.periodUnit);
}

/**
 * A dose given sooner after the previous dose of the same prescription than the prescription allows: once per N
 * days, less than N × 24 h of elapsed time less `doseIntervalToleranceMinutes` after it; once per N hours or
 * minutes, less than that. Resources: this MA, the MR, the previous MA.
 */
export function doseIntervalSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { mr, doses } of dosesByPrescription(index)) {
    const least = minInterval(mr.resource);
    if (!least) {
      continue;
    }
    const leastMs = 'days' in least ? least.days * DAY - config.doseIntervalToleranceMinutes * 60_000 : least.ms;
    for (let i = 1; i < doses.length; i++) {
      const prev = timeOf(doseStart(doses[i - 1].resource));
      const cur = timeOf(doseStart(doses[i].resource));
      if (prev === undefined || cur === undefined) {
        continue;
      }
      if (cur - prev < leastMs) {
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
