/**
 * UCUM units (clinical-codes.md §4): vitals (`mm[Hg]`, `/min`, `%`, `kg`) and doses (`mg`, `mg/kg`).
 * `code` is the UCUM expression; `unit` the human-readable label sent in Quantity.unit.
 */
import { UCUM } from './systems.js';

/** A UCUM unit: system, code and the label for Quantity.unit. */
export interface UcumUnit {
  system: typeof UCUM;
  code: string;
  unit: string;
}

function ucum(code: string, unit: string): UcumUnit {
  return { system: UCUM, code, unit };
}

/** Millimetres of mercury (blood pressure). */
export const UNIT_MM_HG = ucum('mm[Hg]', 'mmHg');
/** Per minute (heart rate, respiratory rate). */
export const UNIT_PER_MIN = ucum('/min', '/min');
/** Percent (SpO2). */
export const UNIT_PERCENT = ucum('%', '%');
/** Kilogram (body weight). */
export const UNIT_KG = ucum('kg', 'kg');
/** Milligram (dose). */
export const UNIT_MG = ucum('mg', 'mg');
/** Milligram per kilogram (weight-based dose). */
export const UNIT_MG_PER_KG = ucum('mg/kg', 'mg/kg');
/** Day (a prescription's minimum interval, Dosage.maxDosePerPeriod's denominator). */
export const UNIT_DAY = ucum('d', 'd');
