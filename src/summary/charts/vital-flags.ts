/**
 * Whether a vital sign is outside the clinic's thresholds (SessionView.thresholds), with the comparisons of the
 * safety rules (src/safety/config.ts): BP `high` at or above the threshold, `severe` above the severe limits;
 * heart and respiratory rate below the low or above the high limit; SpO2 below its limit. Display only: the
 * signals themselves come from src/safety.
 */
import type { VitalPoint, VitalThresholds } from '../session-view.js';

/** How a reading stands against the clinic's thresholds. */
export type VitalFlag = 'severe' | 'high' | 'low' | undefined;

/**
 * The flag of one reading.
 * @param point - the reading
 * @param t - the clinic's thresholds
 */
export function vitalFlag(point: VitalPoint, t: VitalThresholds): VitalFlag {
  switch (point.kind) {
    case 'blood-pressure': {
      const s = point.systolic ?? 0;
      const d = point.diastolic ?? 0;
      if (s > t.severeSystolic || d > t.severeDiastolic) {
        return 'severe';
      }
      return s >= t.systolic || d >= t.diastolic ? 'high' : undefined;
    }
    case 'heart-rate':
      return range(point.value, t.heartRate);
    case 'respiratory-rate':
      return range(point.value, t.respiratoryRate);
    case 'oxygen-saturation':
      return point.value !== undefined && point.value < t.spo2Below ? 'low' : undefined;
    default:
      return undefined;
  }
}

function range(value: number | undefined, [low, high]: [number, number]): VitalFlag {
  if (value === undefined) {
    return undefined;
  }
  return value < low ? 'low' : value > high ? 'high' : undefined;
}
