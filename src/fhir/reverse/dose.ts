/**
 * Doses on the way back: mg from a UCUM Quantity, mg/kg from the `kap-dose-per-body-weight` extension.
 */
import type { Extension, Quantity } from '@medplum/fhirtypes';
import { UNIT_MG, UNIT_MG_PER_KG } from '../../terminology/units.js';
import { UCUM } from '../../terminology/systems.js';
import { EXTENSIONS } from '../profiles.js';

/**
 * The number of a Quantity in a UCUM unit: the Quantity must say UCUM + that code, or (from an EHR
 * that only fills `unit`) the same unit text with no code.
 * @param q - the Quantity
 * @param code - the UCUM code
 */
export function valueIn(q: Quantity | undefined, code: string): number | undefined {
  if (typeof q !== 'object' || q === null || typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    return undefined;
  }
  const coded = q.code !== undefined ? q.code === code && (q.system === undefined || q.system === UCUM) : q.unit === code;
  return coded ? q.value : undefined;
}

/** The mg value of a dose Quantity. */
export function mgOf(q: Quantity | undefined): number | undefined {
  return valueIn(q, UNIT_MG.code);
}

/** The mg/kg value of a `kap-dose-per-body-weight` extension among these, if any. */
export function mgPerKgOf(extensions: Extension[] | undefined): number | undefined {
  const ext = (extensions ?? []).find((e) => e.url === EXTENSIONS.dosePerBodyWeight);
  return valueIn(ext?.valueQuantity, UNIT_MG_PER_KG.code);
}
