/**
 * Severity-band codings (`kap-severity-band`, clinical-codes.md §9) and the band lookup by score range.
 */
import type { Coding } from '@medplum/fhirtypes';
import { KAP_SEVERITY_BAND } from '../terminology/systems.js';

/** The codes of `kap-severity-band`. */
export type SeverityBandCode =
  | 'minimal'
  | 'mild'
  | 'moderate'
  | 'moderately-severe'
  | 'severe'
  | 'below-cutoff'
  | 'at-or-above-cutoff';

const DISPLAY: Record<SeverityBandCode, string> = {
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  'moderately-severe': 'Moderately severe',
  severe: 'Severe',
  'below-cutoff': 'Below cut-off',
  'at-or-above-cutoff': 'At or above cut-off',
};

/** The Coding of one severity band. */
export function severityBand(code: SeverityBandCode): Coding {
  return { system: KAP_SEVERITY_BAND, code, display: DISPLAY[code] };
}

/** A published band: inclusive score range. */
export interface BandRange {
  min: number;
  max: number;
  code: SeverityBandCode;
}

/**
 * The band containing a total, or undefined when no band covers it.
 * @param bands - inclusive ranges
 * @param total - the total score
 */
export function bandFor(bands: readonly BandRange[], total: number): Coding | undefined {
  const band = bands.find((b) => total >= b.min && total <= b.max);
  return band ? severityBand(band.code) : undefined;
}
