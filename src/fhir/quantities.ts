/**
 * UCUM Quantities (clinical-codes.md §4): `{ value, unit, system: UCUM, code }`.
 */
import type { Quantity } from '@medplum/fhirtypes';
import type { UcumUnit } from '../terminology/units.js';

/**
 * A UCUM Quantity.
 * @param value - the number
 * @param unit - the UCUM unit constant
 */
export function ucumQuantity(value: number, unit: UcumUnit): Quantity {
  return { value, unit: unit.unit, system: unit.system, code: unit.code };
}
