/**
 * Thresholds of the safety rules. Every default names its source row in shared/reference/instruments.md §7
 * (or §1/§4/§5); all are configurable per call.
 */
import type { SignalSeverity } from './types.js';

/** Safety rule thresholds. */
export interface SafetyConfig {
  /** BP rules fire when systolic ≥ this (mmHg). */
  systolicThreshold: number;
  /** BP rules fire when diastolic ≥ this (mmHg). */
  diastolicThreshold: number;
  /** spo2-low fires when SpO2 < this (%). */
  spo2Below: number;
  /** dose-above-prescription fires when the dose exceeds the prescription by more than this (mg). */
  doseToleranceMg: number;
  /** esketamine-early-discharge fires when discharge is less than this many minutes after the dose. */
  esketamineObservationMinutes: number;
  /** A BP counts as "after" an esketamine dose when taken at least this many minutes after the dose. */
  esketaminePostDoseBpMinutes: number;
  /** Severity of each C-SSRS risk level. */
  cssrsSeverity: Readonly<Record<'high' | 'moderate' | 'low', SignalSeverity>>;
}

/** Defaults, each with its source. */
export const DEFAULT_SAFETY_CONFIG: Readonly<SafetyConfig> = {
  // instruments.md §7 "Pre-dose BP at/above threshold": SBP ≥ 160 or DBP ≥ 100, project default = JNC 7 stage 2
  // hypertension (NHLBI 2003); the same threshold for "Post-dose BP above threshold at discharge" (project rule).
  systolicThreshold: 160,
  diastolicThreshold: 100,
  // instruments.md §7 "SpO2 below threshold": < 92 % — no authoritative threshold found, project default.
  spo2Below: 92,
  // instruments.md §7 "Dose above prescription": > 0 mg over (project rule). The comparison also allows 0.005 mg for
  // the mapping's 0.01 mg rounding of weight-based doses (src/fhir/medication-administration.ts totalMg).
  doseToleranceMg: 0,
  // instruments.md §7 "Esketamine: discharge < 2 h after dose": 120 min — Spravato REMS (monitor ≥ 2 h).
  esketamineObservationMinutes: 120,
  // instruments.md §7 "Esketamine: no BP before dose, or none ~40 min after": Spravato label asks for BP ~40 min after
  // the dose; a reading from 30 min on counts (project tolerance).
  esketaminePostDoseBpMinutes: 30,
  // instruments.md §4 "Safety (project rule, configurable)": high → urgent; moderate → attention; low → attention.
  cssrsSeverity: { high: 'urgent', moderate: 'attention', low: 'attention' },
};

/** The defaults with overrides applied. */
export function safetyConfig(overrides: Partial<SafetyConfig> = {}): SafetyConfig {
  return { ...DEFAULT_SAFETY_CONFIG, ...overrides };
}
