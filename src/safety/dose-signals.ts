/**
 * Dose safety rules (instruments.md §7, project rules, all urgent): dose above the prescription (mg, or mg/kg ×
 * the recorded body weight), a dose with no active prescription, a route other than prescribed.
 */
import type { MedicationAdministration, MedicationRequest, Observation } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension, LOINC, SNOMED } from '../terminology/systems.js';
import type { SafetyConfig } from './config.js';
import { doseStart, givenDoses, hasCoding, localDate, milligrams, prescriptionOf as prescription } from './episode-view.js';
import type { SafetySignal } from './types.js';

/** Half the mapping's 0.01 mg rounding step of weight-based doses: never a signal by itself. */
const ROUNDING_MG = 0.005;

/** Prescription statuses under which a dose counts as prescribed (`completed`: the course ended after the doses). */
const VALID_STATUSES: readonly MedicationRequest['status'][] = ['active', 'completed'];

function perKg(extensions: { url: string; valueQuantity?: { value?: number } }[] | undefined): number | undefined {
  return extensions?.find((e) => e.url === kapExtension('kap-dose-per-body-weight'))?.valueQuantity?.value;
}

/** The body-weight Observation (kg) a MedicationAdministration cites in `supportingInformation`. */
export function citedBodyWeight(index: BundleIndex, ma: MedicationAdministration): IndexedEntry<Observation> | undefined {
  for (const ref of ma.supportingInformation ?? []) {
    const e = index.resolve(ref);
    if (e?.resource.resourceType === 'Observation' && hasCoding(e.resource.code.coding, LOINC, '29463-7')) {
      const q = e.resource.valueQuantity;
      if (q?.value !== undefined && (q.code ?? q.unit) === 'kg') {
        return e as IndexedEntry<Observation>;
      }
    }
  }
  return undefined;
}

/**
 * Dose above prescription: the mg given exceeds the prescribed mg (doseQuantity or doseRange.high), or the mg/kg
 * prescription × the body weight the MedicationAdministration cites, by more than the tolerance; without a recorded
 * weight, the given mg/kg is compared with the prescribed mg/kg. Resources: MA, MR (+ the weight Observation).
 */
export function doseAboveSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const mr = prescription(index, ma.resource);
    const dosage = mr?.resource.dosageInstruction?.[0];
    if (!mr || !dosage) {
      continue;
    }
    const rate = dosage.doseAndRate?.[0];
    const prescribedMg = milligrams(rate?.doseQuantity ?? rate?.doseRange?.high);
    const prescribedPerKg = perKg(dosage.extension);
    const givenMg = milligrams(ma.resource.dosage?.dose);
    const weight = citedBodyWeight(index, ma.resource);
    const allowance = config.doseToleranceMg + ROUNDING_MG;
    let above = false;
    const resources = [ma.ref, mr.ref];
    if (prescribedMg !== undefined && givenMg !== undefined) {
      above = givenMg > prescribedMg + allowance;
    } else if (prescribedPerKg !== undefined && givenMg !== undefined && weight) {
      above = givenMg > prescribedPerKg * (weight.resource.valueQuantity?.value as number) + allowance;
      resources.push(weight.ref);
    } else if (prescribedPerKg !== undefined) {
      const givenPerKg = perKg(ma.resource.dosage?.extension);
      above = givenPerKg !== undefined && givenPerKg > prescribedPerKg + 1e-9;
    }
    if (above) {
      out.push({ rule: 'dose-above-prescription', severity: 'urgent', resources });
    }
  }
  return out;
}

function withinValidity(mr: MedicationRequest, when: string | undefined): boolean {
  const period = mr.dispenseRequest?.validityPeriod;
  if (!period || !when) {
    return true;
  }
  const inside = (bound: string, after: boolean): boolean => {
    if (bound.length <= 10) {
      // a date bound: compare calendar dates in the dose's own offset, inclusive
      return after ? localDate(when) >= bound : localDate(when) <= bound;
    }
    const b = timeOf(bound);
    const t = timeOf(when);
    return b === undefined || t === undefined || (after ? t >= b : t <= b);
  };
  return (period.start === undefined || inside(period.start, true)) && (period.end === undefined || inside(period.end, false));
}

/**
 * Dose without an active prescription: no `request`, a request not in the Bundle, a MedicationRequest whose status is
 * not active/completed, or a dose outside its validity period. Resources: MA (+ MR when there is one).
 */
export function doseWithoutPrescriptionSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const mr = prescription(index, ma.resource);
    if (!mr) {
      out.push({ rule: 'dose-without-prescription', severity: 'urgent', resources: [ma.ref] });
    } else if (!VALID_STATUSES.includes(mr.resource.status) || !withinValidity(mr.resource, doseStart(ma.resource))) {
      out.push({ rule: 'dose-without-prescription', severity: 'urgent', resources: [ma.ref, mr.ref] });
    }
  }
  return out;
}

/** Route given ≠ route prescribed (SNOMED codes; no signal when either is not recorded). Resources: MA, MR. */
export function routeMismatchSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const mr = prescription(index, ma.resource);
    const given = (ma.resource.dosage?.route?.coding ?? []).filter((c) => c.system === SNOMED && c.code);
    const prescribed = (mr?.resource.dosageInstruction?.[0]?.route?.coding ?? []).filter((c) => c.system === SNOMED && c.code);
    if (mr && given.length > 0 && prescribed.length > 0 && !given.some((g) => prescribed.some((p) => p.code === g.code))) {
      out.push({ rule: 'route-mismatch', severity: 'urgent', resources: [ma.ref, mr.ref] });
    }
  }
  return out;
}
