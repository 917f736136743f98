/**
 * Reading the FHIR shape of a mapped KAP episode (docs/conventions.md, docs/design/issue-13-contract.md) for the
 * safety rules: dosing phase, vital signs, dose status, time, route and prescription, discharge time, the
 * Observations of a dose, esketamine products.
 */
import type { Coding, Encounter, MedicationAdministration, MedicationRequest, Observation, Quantity } from '@medplum/fhirtypes';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { kapExtension, LOINC } from '../terminology/systems.js';
import { RXNORM_ESKETAMINE_NASAL_SPRAY, RXNORM_SPRAVATO } from '../terminology/medications.js';
import { ROUTE_CODES } from '../terminology/routes.js';
import { KAP_ROUTES, type KapRoute } from '../kap/dose.js';

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

/** False for an Observation entered in error or cancelled. */
export function usable(o: Observation): boolean {
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

/** Heart rate (/min) of a heart-rate Observation (8867-4), or undefined. */
export function heartRate(o: Observation): number | undefined {
  return usable(o) && hasCoding(o.code.coding, LOINC, '8867-4') ? o.valueQuantity?.value : undefined;
}

/** Respiratory rate (/min) of a respiratory-rate Observation (9279-1), or undefined. */
export function respiratoryRate(o: Observation): number | undefined {
  return usable(o) && hasCoding(o.code.coding, LOINC, '9279-1') ? o.valueQuantity?.value : undefined;
}

/** SpO2 (%) of an oxygen-saturation Observation (2708-6 / 59408-5), or undefined. */
export function oxygenSaturation(o: Observation): number | undefined {
  if (!usable(o) || !(hasCoding(o.code.coding, LOINC, '2708-6') || hasCoding(o.code.coding, LOINC, '59408-5'))) {
    return undefined;
  }
  return o.valueQuantity?.value;
}

/**
 * True when a dose was given, in full or in part: `completed`, `in-progress`, `on-hold`, and `stopped` (a partial
 * dose: docs/design/issue-13-contract.md) count; `not-done` (held, refused), `entered-in-error` and `unknown` do not.
 */
export function doseGiven(ma: MedicationAdministration): boolean {
  return ma.status === 'completed' || ma.status === 'in-progress' || ma.status === 'on-hold' || ma.status === 'stopped';
}

/** The given doses of the Bundle, in Bundle order. */
export function givenDoses(index: BundleIndex): IndexedEntry<MedicationAdministration>[] {
  return index.ofType('MedicationAdministration').filter((e) => doseGiven(e.resource));
}

/** The racemic ketamine doses given by a recognised route, each with its route (the per-route rules' doses). */
export function racemicDosesByRoute(index: BundleIndex): { ma: IndexedEntry<MedicationAdministration>; route: KapRoute }[] {
  return givenDoses(index)
    .filter((e) => !isEsketamine(e.resource))
    .flatMap((ma) => {
      const route = routeOf(ma.resource);
      return route === undefined ? [] : [{ ma, route }];
    });
}

/** True for a reading from the dose start on (phase during-dose or post-dose). */
export function fromDoseOn(phase: string | undefined): boolean {
  return phase === 'during-dose' || phase === 'post-dose';
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

/**
 * The discharge time recorded as such (`dischargedAt`: the `finished` statusHistory entry's start), without the
 * `period.end` fallback.
 */
export function recordedDischargeTime(e: Encounter): string | undefined {
  return e.statusHistory?.find((h) => h.status === 'finished')?.period?.start;
}

/** The session Encounter of a dose (its `context`), when in the Bundle. */
export function encounterOfDose(index: BundleIndex, ma: MedicationAdministration): IndexedEntry<Encounter> | undefined {
  const e = index.resolve(ma.context);
  return e?.resource.resourceType === 'Encounter' ? (e as IndexedEntry<Encounter>) : undefined;
}

/** The MedicationRequest of a dose (its `request`), when in the Bundle. */
export function prescriptionOf(index: BundleIndex, ma: MedicationAdministration): IndexedEntry<MedicationRequest> | undefined {
  const e = index.resolve(ma.request);
  return e?.resource.resourceType === 'MedicationRequest' ? (e as IndexedEntry<MedicationRequest>) : undefined;
}

/** The KAP route of a dose (from its SNOMED route code), if recognised. */
export function routeOf(ma: MedicationAdministration): KapRoute | undefined {
  const codings = ma.dosage?.route?.coding;
  return KAP_ROUTES.find((r) => hasCoding(codings, ROUTE_CODES[r].system, ROUTE_CODES[r].code));
}

/** The local calendar date (YYYY-MM-DD) of a FHIR dateTime as written (the clinic's offset). */
export function localDate(dateTime: string): string {
  return dateTime.slice(0, 10);
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
