/**
 * Dose plausibility rules (docs/safety.md), urgent, for doses given: esketamine only as 28, 56 or 84 mg
 * (Spravato label) and only intranasally; racemic ketamine at most the clinic's mg/kg ceiling for the route — and,
 * attention, when that ceiling cannot be judged for want of a body weight (dose-per-kg-unchecked).
 */
import type { MedicationAdministration, Observation } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension, LOINC } from '../terminology/systems.js';
import type { SafetyConfig } from './config.js';
import { citedBodyWeight } from './dose-signals.js';
import { doseStart, givenDoses, hasCoding, isEsketamine, milligrams, prescriptionOf, racemicDosesByRoute, routeOf, usable } from './episode-view.js';
import type { SafetySignal } from './types.js';

/** mg compared with 0.005 mg of slack (the mapping rounds mg to 0.01). */
const SLACK_MG = 0.005;

/** An esketamine dose given whose mg is not one of `esketamineDosesMg` (default 28, 56, 84). Resources: MA. */
export function esketamineDoseSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index).filter((e) => isEsketamine(e.resource))) {
    const mg = milligrams(ma.resource.dosage?.dose);
    if (mg !== undefined && !config.esketamineDosesMg.some((allowed) => Math.abs(allowed - mg) <= SLACK_MG)) {
      out.push({ rule: 'esketamine-dose-invalid', severity: 'urgent', resources: [ma.ref] });
    }
  }
  return out;
}

/** An esketamine dose given by a recorded route other than intranasal (SNOMED 46713006). Resources: MA. */
export function esketamineRouteSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index).filter((e) => isEsketamine(e.resource))) {
    const coded = (ma.resource.dosage?.route?.coding ?? []).some((c) => c.code);
    if (coded && routeOf(ma.resource) !== 'intranasal') {
      out.push({ rule: 'esketamine-route-invalid', severity: 'urgent', resources: [ma.ref] });
    }
  }
  return out;
}

/** The latest usable body-weight Observation (29463-7, kg) at or before a time, anywhere in the Bundle. */
function latestBodyWeight(index: BundleIndex, when: number | undefined): IndexedEntry<Observation> | undefined {
  if (when === undefined) {
    return undefined;
  }
  let best: { e: IndexedEntry<Observation>; t: number } | undefined;
  for (const o of index.ofType('Observation')) {
    const q = o.resource.valueQuantity;
    const t = timeOf(o.resource.effectiveDateTime);
    if (!usable(o.resource) || !hasCoding(o.resource.code.coding, LOINC, '29463-7') || q?.value === undefined || (q.code ?? q.unit) !== 'kg') {
      continue;
    }
    if (t !== undefined && t <= when && (!best || t >= best.t)) {
      best = { e: o, t };
    }
  }
  return best?.e;
}

/**
 * mg/kg of a dose: the `kap-dose-per-body-weight` value of the dosage when recorded, else its mg over the body
 * weight the MA cites, else over the latest body weight at or before the dose. Also the weight used, if any.
 */
export function dosePerKg(
  index: BundleIndex,
  ma: MedicationAdministration
): { mgPerKg: number; weight?: IndexedEntry<Observation> } | undefined {
  const cited = citedBodyWeight(index, ma);
  const recorded = ma.dosage?.extension?.find((e) => e.url === kapExtension('kap-dose-per-body-weight'))?.valueQuantity?.value;
  if (recorded !== undefined) {
    return { mgPerKg: recorded, ...(cited ? { weight: cited } : {}) };
  }
  const mg = milligrams(ma.dosage?.dose);
  const weight = cited ?? latestBodyWeight(index, timeOf(doseStart(ma)));
  const kg = weight?.resource.valueQuantity?.value;
  return mg !== undefined && weight && kg ? { mgPerKg: mg / kg, weight } : undefined;
}

/**
 * A racemic ketamine dose given above the route's `maxMgPerKg`. No signal when neither a mg/kg nor a body weight is
 * known. Resources: MA (+ the weight Observation used).
 */
export function dosePerKgCeilingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { ma, route } of racemicDosesByRoute(index)) {
    const perKg = dosePerKg(index, ma.resource);
    if (perKg && perKg.mgPerKg > config.routes[route].maxMgPerKg + 1e-9) {
      out.push({ rule: 'dose-per-kg-above-ceiling', severity: 'urgent', resources: [ma.ref, ...(perKg.weight ? [perKg.weight.ref] : [])] });
    }
  }
  return out;
}

/**
 * A racemic ketamine dose given in mg by a recognised route whose mg/kg cannot be known (no `kap-dose-per-body-weight`,
 * no body weight cited or recorded before it), so dose-per-kg-above-ceiling cannot be judged — when a weight was
 * expected: the prescription is per kg (`kap-dose-per-body-weight` on its dosageInstruction: the mg given cannot be
 * checked against it either), or the clinic sets `routes.<route>.requireBodyWeight`. A flat mg dose by a
 * prescription in mg, with the default settings, is silent: fixed mg doses without a weight are common for lozenges
 * and IM, and a signal on each would be noise. Resources: MA (+ the MR when prescribed per kg).
 */
export function dosePerKgUncheckedSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const { ma, route } of racemicDosesByRoute(index)) {
    if (milligrams(ma.resource.dosage?.dose) === undefined || dosePerKg(index, ma.resource)) {
      continue;
    }
    const mr = prescriptionOf(index, ma.resource);
    const perKgPrescribed =
      mr?.resource.dosageInstruction?.[0]?.extension?.some((e) => e.url === kapExtension('kap-dose-per-body-weight') && e.valueQuantity?.value !== undefined) ??
      false;
    if (perKgPrescribed || config.routes[route].requireBodyWeight) {
      out.push({ rule: 'dose-per-kg-unchecked', severity: 'attention', resources: [ma.ref, ...(perKgPrescribed && mr ? [mr.ref] : [])] });
    }
  }
  return out;
}
