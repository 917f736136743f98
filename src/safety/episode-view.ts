/**
 * Reading the FHIR shape of a mapped KAP episode (docs/conventions.md) for the safety rules: dosing phase, blood
 * pressure, SpO2, dose time, discharge time, the vitals of a dose, esketamine products.
 */
import type { Coding, Encounter, MedicationAdministration, Observation, Quantity } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension, LOINC } from '../terminology/systems.js';
import { RXNORM_ESKETAMINE_NASAL_SPRAY, RXNORM_SPRAVATO } from '../terminology/medications.js';

/** The dosing phases of `kap-dosing-phase`. */
export type DosingPhase = 'pre-dose' | 'during-dose' | 'post-dose';

/** The `kap-dosing-phase` of an Observation, if any. */
export function dosingPhase(o: Observation): DosingPhase | undefined {
  const code = o.extension?.find((e) => e.url === kapExtension('kap-dosing-phase'))?.valueCode;
  return code === 'pre-dose' || code === 'during-dose' || code === 'post-dose' ? code : undefined;
}

/** True when a CodeableConcept-like list holds this system/code. */
export function hasCoding(codings: Coding[] | undefined, system: string, code: string): boolean {
  return (codings ?? []).some((c) => c.system === system && c.code === code);
}

function usable(o: Observation): boolean {
  return o.status !== 'entered-in-error' && o.status !== 'cancelled';
}

/** Systolic and diastolic of a BP panel (85354-9) Observation, or undefined when it is no BP. */
export function bloodPressure(o: Observation): { systolic?: number; diastolic?: number } | undefined {
  if (!usable(o) || !hasCoding(o.code.coding, LOINC, '85354-9')) {
    return undefined;
  }
  const component = (code: string): number | undefined =>
    o.component?.find((c) => hasCoding(c.code.coding, LOINC, code))?.valueQuantity?.value;
  return { systolic: component('8480-6'), diastolic: component('8462-4') };
}

/** SpO2 (%) of an oxygen-saturation Observation (2708-6 / 59408-5), or undefined. */
export function oxygenSaturation(o: Observation): number | undefined {
  if (!usable(o) || !(hasCoding(o.code.coding, LOINC, '2708-6') || hasCoding(o.code.coding, LOINC, '59408-5'))) {
    return undefined;
  }
  return o.valueQuantity?.value;
}

/** True when a dose was given (not `not-done`, `entered-in-error`, `stopped` before any drug, `unknown`). */
export function doseGiven(ma: MedicationAdministration): boolean {
  return ma.status === 'completed' || ma.status === 'in-progress' || ma.status === 'on-hold';
}

/** Start of the dose (effectiveDateTime or effectivePeriod.start). */
export function doseStart(ma: MedicationAdministration): string | undefined {
  return ma.effectiveDateTime ?? ma.effectivePeriod?.start;
}

/** End of the dose (effectivePeriod.end), else its start. */
export function doseEnd(ma: MedicationAdministration): string | undefined {
  return ma.effectivePeriod?.end ?? doseStart(ma);
}

/**
 * Discharge time of a session Encounter: the `finished` statusHistory entry's start (how the mapping records a
 * dosing session's `dischargedAt`), else `period.end`.
 */
export function dischargeTime(e: Encounter): string | undefined {
  return e.statusHistory?.find((h) => h.status === 'finished')?.period?.start ?? e.period?.end;
}

/** True for esketamine nasal spray (RxNorm 2201623 SCDF, 2201625 Spravato SBDF). */
export function isEsketamine(ma: MedicationAdministration): boolean {
  const codings = ma.medicationCodeableConcept?.coding;
  return [RXNORM_ESKETAMINE_NASAL_SPRAY, RXNORM_SPRAVATO].some((c) => hasCoding(codings, c.system, c.code));
}

/**
 * The Observations tied to a dose: `partOf` → the MedicationAdministration, or the same encounter as its context.
 * @param index - the Bundle index
 * @param ma - the administration entry
 */
export function observationsOfDose(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>): IndexedEntry<Observation>[] {
  const encounter = index.resolve(ma.resource.context)?.ref;
  return index.ofType('Observation').filter((o) => {
    if ((o.resource.partOf ?? []).some((p) => index.resolve(p)?.ref === ma.ref)) {
      return true;
    }
    return encounter !== undefined && index.resolve(o.resource.encounter)?.ref === encounter;
  });
}

/** Entries sorted by effectiveDateTime (stable; untimed first). */
export function byEffectiveTime<T extends Observation>(entries: IndexedEntry<T>[]): IndexedEntry<T>[] {
  return [...entries].sort((a, b) => (timeOf(a.resource.effectiveDateTime) ?? -Infinity) - (timeOf(b.resource.effectiveDateTime) ?? -Infinity));
}

/** Milligrams of a UCUM mass quantity (mg, g, ug), or undefined for another unit. */
export function milligrams(q: Quantity | undefined): number | undefined {
  if (q?.value === undefined) {
    return undefined;
  }
  const unit = q.code ?? q.unit;
  const factor: Record<string, number> = { mg: 1, g: 1000, ug: 0.001 };
  return unit !== undefined && unit in factor ? q.value * factor[unit] : undefined;
}
