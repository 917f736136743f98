/**
 * Thresholds of the safety rules (docs/safety.md). Every default names its source beside it: a row of
 * shared/reference/instruments.md §7 (or §4), a product label, a published guideline or consensus — or says
 * "no source found — project default". All are configurable per clinic (`clinics[].safety` in the service config,
 * src/config/service-config.ts) through `safetyOverridesSchema`, a partial of the config.
 */
import { z } from 'zod';
import { KAP_ROUTES, type KapRoute } from '../kap/dose.js';
import type { SignalSeverity } from './types.js';

const severitySchema = z.enum(['urgent', 'attention', 'information']);
const mmHg = z.number().positive().max(400);
const minutes = z.number().min(0).max(24 * 60);

/** What a clinic requires of a racemic ketamine dose given by one route. */
export const routeSettingsSchema = z.strictObject({
  /** dose-per-kg-above-ceiling fires when the dose given is above this many mg per kg of body weight. */
  maxMgPerKg: z.number().positive().max(100),
  /** monitoring-bp-missing fires when no BP was taken before the dose (and this is true). */
  requirePreDoseBloodPressure: z.boolean(),
  /** monitoring-bp-missing fires when fewer BP readings than this were taken from the dose start on. */
  minBloodPressuresAfterDose: z.int().min(0).max(50),
  /** monitoring-spo2-missing fires when no SpO2 was taken from the dose start on (and this is true). */
  requireOxygenSaturation: z.boolean(),
  /** observation-too-short fires when discharge is less than this many minutes after the end of the dose. */
  minObservationMinutes: minutes,
  /** monitoring-heart-rate-missing fires when fewer heart rates than this were taken from the dose start on (0: not required). */
  minHeartRatesAfterDose: z.int().min(0).max(50),
  /** monitoring-respiratory-rate-missing fires when fewer respiratory rates than this were taken from the dose start on (0: not required). */
  minRespiratoryRatesAfterDose: z.int().min(0).max(50),
  /**
   * dose-per-kg-unchecked fires for a dose in mg when no body weight is known (so maxMgPerKg cannot be judged) and
   * this is true. A dose prescribed per kg fires regardless.
   */
  requireBodyWeight: z.boolean(),
  /**
   * medication-review-missing fires for a dose whose own session has no medication review (and this is true); when
   * false, only a dose with no review at all at or before it fires. Clinic-set (default false). Esketamine always
   * requires one per session (the Spravato REMS monitoring form asks at every session).
   */
  requireMedicationReviewEachSession: z.boolean(),
});
/** What a clinic requires of a racemic ketamine dose given by one route. */
export type RouteSettings = z.infer<typeof routeSettingsSchema>;

/** Every safety threshold (a full config: the defaults with a clinic's overrides applied). */
export const safetyConfigSchema = z.strictObject({
  /** bp-predose-high (urgent) fires when the last pre-dose systolic is ≥ this (mmHg) and the dose is given; bp-discharge-high (attention) uses it for the last post-dose BP. */
  systolicThreshold: mmHg,
  /** As systolicThreshold, for the diastolic. */
  diastolicThreshold: mmHg,
  /** bp-during-high / bp-post-high (urgent) fire when a systolic during / after the dose is > this (mmHg). */
  severeSystolicAbove: mmHg,
  /** As severeSystolicAbove, for the diastolic. */
  severeDiastolicAbove: mmHg,
  /** bp-predose-above-label (attention) fires for esketamine when the last pre-dose systolic is > this (mmHg). */
  esketamineDelaySystolicAbove: mmHg,
  /** As esketamineDelaySystolicAbove, for the diastolic. */
  esketamineDelayDiastolicAbove: mmHg,
  /** heart-rate-out-of-range (attention) fires below this (/min). */
  heartRateBelow: z.number().min(0).max(300),
  /** heart-rate-out-of-range (attention) fires above this (/min). */
  heartRateAbove: z.number().min(0).max(300),
  /** respiratory-rate-low (urgent) fires below this (/min). */
  respiratoryRateBelow: z.number().min(0).max(100),
  /** respiratory-rate-high (attention) fires above this (/min). */
  respiratoryRateAbove: z.number().min(0).max(100),
  /** spo2-low fires when SpO2 < this (%). */
  spo2Below: z.number().min(0).max(100),
  /** dose-above-prescription fires when the dose exceeds the prescription by more than this (mg). */
  doseToleranceMg: z.number().min(0),
  /** esketamine-dose-invalid (urgent) fires for any esketamine dose (mg) not in this list. */
  esketamineDosesMg: z.array(z.number().positive()).min(1),
  /**
   * dose-interval-short: a prescription of once per N days allows the next dose N × 24 h of elapsed time after the
   * previous one, less this many minutes (a session booked at the same clinic hour a bit earlier, or across a DST
   * change, does not fire).
   */
  doseIntervalToleranceMinutes: minutes,
  /** esketamine-early-discharge fires when discharge is less than this many minutes after the dose start. */
  esketamineObservationMinutes: minutes,
  /** esketamine-bp-missing: a BP must be taken this many minutes after the esketamine dose start (inclusive window). */
  esketaminePostDoseBpWindowMinutes: z.strictObject({ from: minutes, to: minutes }),
  /** esketamine-bp-missing: a BP must be taken within this many minutes before discharge. */
  esketaminePreDischargeBpMinutes: minutes,
  /** monitoring-spo2-missing fires for esketamine when no SpO2 was taken from the dose start on (and this is true). */
  esketamineRequireOxygenSaturation: z.boolean(),
  /** Per route: what racemic ketamine requires. */
  routes: z.strictObject(Object.fromEntries(KAP_ROUTES.map((r) => [r, routeSettingsSchema])) as Record<KapRoute, typeof routeSettingsSchema>),
  /** Severity of each C-SSRS risk level. */
  cssrsSeverity: z.strictObject({ high: severitySchema, moderate: severitySchema, low: severitySchema }),
});

/** Safety rule thresholds. */
export interface SafetyConfig extends Omit<z.infer<typeof safetyConfigSchema>, 'cssrsSeverity' | 'routes'> {
  routes: Readonly<Record<KapRoute, RouteSettings>>;
  cssrsSeverity: Readonly<Record<'high' | 'moderate' | 'low', SignalSeverity>>;
}

/**
 * A clinic's overrides (what `clinics[].safety` holds): any part of the config; `routes.<route>`,
 * `cssrsSeverity` and `esketaminePostDoseBpWindowMinutes` may be given in part.
 */
export const safetyOverridesSchema = safetyConfigSchema
  .extend({
    routes: z.strictObject(
      Object.fromEntries(KAP_ROUTES.map((r) => [r, routeSettingsSchema.partial().optional()])) as Record<
        KapRoute,
        z.ZodOptional<z.ZodObject<{ [K in keyof RouteSettings]: z.ZodOptional<(typeof routeSettingsSchema.shape)[K]> }, z.core.$strict>>
      >
    ),
    cssrsSeverity: safetyConfigSchema.shape.cssrsSeverity.partial(),
    esketaminePostDoseBpWindowMinutes: safetyConfigSchema.shape.esketaminePostDoseBpWindowMinutes.partial(),
  })
  .partial();
/** A clinic's overrides of the safety thresholds. */
export type SafetyOverrides = z.infer<typeof safetyOverridesSchema>;

/**
 * Racemic ketamine, what each route requires. No published standard sets a per-route minimum of vitals, an
 * observation time or a mg/kg ceiling for ketamine in mood disorders: every value here is a project default, to be
 * set by the clinic's medical director. For orientation only: the APA consensus statement (Sanacora et al.,
 * JAMA Psychiatry 2017;74:399–405) describes 0.5 mg/kg IV over 40 min as the dose with the most evidence.
 *
 * Every route, no source found — project default, for the clinic to set: minHeartRatesAfterDose and
 * minRespiratoryRatesAfterDose 0 (not required: the project requires BP and SpO2 only); requireBodyWeight false
 * (flat mg doses without a recorded weight are common for lozenges and IM — a clinic that weighs every patient sets
 * it true to hear when the mg/kg ceiling could not be checked); requireMedicationReviewEachSession false (a review at
 * assessment stands until the next one; a clinic that confirms medications at every dosing session, as the Spravato
 * REMS form does for esketamine, sets it true).
 */
const OPTIONAL_MONITORING = {
  minHeartRatesAfterDose: 0,
  minRespiratoryRatesAfterDose: 0,
  requireBodyWeight: false,
  requireMedicationReviewEachSession: false,
} as const;
const ROUTE_DEFAULTS: Readonly<Record<KapRoute, RouteSettings>> = {
  // IV: ceiling 1.0 mg/kg = twice the APA consensus dose (Sanacora et al. 2017) — the ceiling itself: no source
  // found — project default. Pre-dose BP, ≥ 1 BP from the dose start on, SpO2, 60 min after the infusion ends: no
  // source found — project default.
  iv: { maxMgPerKg: 1, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 60, ...OPTIONAL_MONITORING },
  // IM: no source found — project default.
  im: { maxMgPerKg: 1.5, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 60, ...OPTIONAL_MONITORING },
  // Intranasal (compounded racemic ketamine spray): no source found — project default.
  intranasal: { maxMgPerKg: 2, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 90, ...OPTIONAL_MONITORING },
  // Oral, sublingual, buccal (lozenges, solutions; lower bioavailability, later peak): no source found — project default.
  oral: { maxMgPerKg: 4, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 90, ...OPTIONAL_MONITORING },
  sublingual: { maxMgPerKg: 4, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 90, ...OPTIONAL_MONITORING },
  buccal: { maxMgPerKg: 4, requirePreDoseBloodPressure: true, minBloodPressuresAfterDose: 1, requireOxygenSaturation: true, minObservationMinutes: 90, ...OPTIONAL_MONITORING },
};

/** Defaults, each with its source. */
export const DEFAULT_SAFETY_CONFIG: Readonly<SafetyConfig> = {
  // instruments.md §7 "Pre-dose BP at/above threshold": SBP ≥ 160 or DBP ≥ 100, project default = JNC 7 stage 2
  // hypertension (NHLBI 2003); the same threshold for "Post-dose BP above threshold at discharge" (project rule).
  systolicThreshold: 160,
  diastolicThreshold: 100,
  // 2017 ACC/AHA hypertension guideline: severe BP elevation = SBP > 180 and/or DBP > 120 mmHg. Used here for any
  // reading during or after a dose (the Ketalar label: elevation of BP is a serious hazard in some patients).
  severeSystolicAbove: 180,
  severeDiastolicAbove: 120,
  // Spravato label (instruments.md §7, MPR monograph summary): assess BP before dosing; consider delaying if > 140/90.
  esketamineDelaySystolicAbove: 140,
  esketamineDelayDiastolicAbove: 90,
  // Heart rate < 50 or > 120 /min: no source found — project default.
  heartRateBelow: 50,
  heartRateAbove: 120,
  // Respiratory rate < 10 or > 24 /min: no source found — project default.
  respiratoryRateBelow: 10,
  respiratoryRateAbove: 24,
  // instruments.md §7 "SpO2 below threshold": < 92 % — no authoritative threshold found, project default.
  spo2Below: 92,
  // instruments.md §7 "Dose above prescription": > 0 mg over (project rule). The comparison also allows 0.005 mg for
  // the mapping's 0.01 mg rounding of weight-based doses (src/fhir/medication-administration.ts totalMg).
  doseToleranceMg: 0,
  // Spravato label: 28 mg per device; doses of 28, 56 or 84 mg, intranasal.
  esketamineDosesMg: [28, 56, 84],
  // Once per N days = N × 24 h elapsed, less 60 min: no source found — project default (the clinic hour ± a bit,
  // and a daylight-saving change, must not fire).
  doseIntervalToleranceMinutes: 60,
  // instruments.md §7 "Esketamine: discharge < 2 h after dose": 120 min — Spravato REMS (monitor ≥ 2 h), measured
  // from the dose start (as the REMS form's monitoring time and discharge-time-missing's earliest discharge).
  esketamineObservationMinutes: 120,
  // Spravato label: BP about 40 min after the dose (instruments.md §7); the 30–60 min window: no source found —
  // project default.
  esketaminePostDoseBpWindowMinutes: { from: 30, to: 60 },
  // A BP before discharge (issue 13; the Spravato label: BP after the ~40 min reading "as clinically warranted");
  // within 30 min of discharge: no source found — project default.
  esketaminePreDischargeBpMinutes: 30,
  // Spravato REMS (instruments.md §7): pulse oximetry during the observation.
  esketamineRequireOxygenSaturation: true,
  routes: ROUTE_DEFAULTS,
  // instruments.md §4 "Safety (project rule, configurable)": high → urgent; moderate → attention; low → attention.
  cssrsSeverity: { high: 'urgent', moderate: 'attention', low: 'attention' },
};

/**
 * The defaults with a clinic's overrides applied (nested settings merged field by field).
 * @param overrides - the clinic's overrides (validated by safetyOverridesSchema when they come from a file)
 */
export function safetyConfig(overrides: SafetyOverrides = {}): SafetyConfig {
  const routes = Object.fromEntries(
    KAP_ROUTES.map((r) => [r, { ...DEFAULT_SAFETY_CONFIG.routes[r], ...(overrides.routes?.[r] ?? {}) }])
  ) as Record<KapRoute, RouteSettings>;
  return {
    ...DEFAULT_SAFETY_CONFIG,
    ...overrides,
    routes,
    cssrsSeverity: { ...DEFAULT_SAFETY_CONFIG.cssrsSeverity, ...(overrides.cssrsSeverity ?? {}) },
    esketaminePostDoseBpWindowMinutes: {
      ...DEFAULT_SAFETY_CONFIG.esketaminePostDoseBpWindowMinutes,
      ...(overrides.esketaminePostDoseBpWindowMinutes ?? {}),
    },
  };
}
