/**
 * Per-clinic safety thresholds (docs/safety.md): the overrides schema, the merge with the defaults, the clinic
 * config, and that a clinic's override changes the verdict through mapClinicEpisode.
 */
import { describe, expect, test } from '@jest/globals';
import { configSchema } from '../config/service-config.js';
import { parseEpisode } from '../kap/episode.js';
import { mapClinicEpisode } from '../pipeline/map-clinic-episode.js';
import { baseEpisode, type EpisodeJson } from './__test__/episode-fixture.js';
import { DEFAULT_SAFETY_CONFIG, safetyConfig, safetyConfigSchema, safetyOverridesSchema } from './config.js';

function signalCodes(ep: EpisodeJson, safety?: unknown): string[] {
  const parsed = parseEpisode(ep);
  if (!parsed.ok) {
    throw new Error('invalid fixture');
  }
  const overrides = safety === undefined ? undefined : safetyOverridesSchema.parse(safety);
  return mapClinicEpisode(parsed.episode, 'test-clinic', overrides)
    .signals.filter((r) => r.resourceType === 'DetectedIssue')
    .map((r) => (r.resourceType === 'DetectedIssue' ? `${r.code?.coding?.[0].code} ${r.severity}` : ''));
}

function withHeartRate(value: number): EpisodeJson {
  const ep = baseEpisode();
  ep.sessions[1].vitals.push({ id: 's-02-hr', time: '2026-04-03T09:40:00-05:00', phase: 'during-dose', kind: 'heart-rate', value });
  return ep;
}

describe('safety config', () => {
  test('the defaults are a valid full config', () => {
    expect(safetyConfigSchema.parse(DEFAULT_SAFETY_CONFIG)).toEqual(DEFAULT_SAFETY_CONFIG);
  });

  test('nested overrides merge field by field; the rest stays default', () => {
    const config = safetyConfig({ routes: { iv: { maxMgPerKg: 0.8 } }, cssrsSeverity: { low: 'information' }, esketaminePostDoseBpWindowMinutes: { to: 50 } });
    expect(config.routes.iv).toEqual({ ...DEFAULT_SAFETY_CONFIG.routes.iv, maxMgPerKg: 0.8 });
    expect(config.routes.im).toEqual(DEFAULT_SAFETY_CONFIG.routes.im);
    expect(config.cssrsSeverity).toEqual({ high: 'urgent', moderate: 'attention', low: 'information' });
    expect(config.esketaminePostDoseBpWindowMinutes).toEqual({ from: 30, to: 50 });
    expect(config.spo2Below).toBe(92);
  });

  test('the overrides schema refuses unknown settings and bad values', () => {
    expect(safetyOverridesSchema.safeParse({ heartRateAbvoe: 130 }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ routes: { rectal: { maxMgPerKg: 1 } } }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ routes: { iv: { maxMgPerKg: -1 } } }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ cssrsSeverity: { high: 'loud' } }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ routes: { iv: { minHeartRatesAfterDose: -1 } } }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ routes: { iv: { minHeartRatesAfterDose: 2, minRespiratoryRatesAfterDose: 1, requireBodyWeight: true } } }).success).toBe(true);
    expect(safetyOverridesSchema.safeParse({ routes: { im: { requireMedicationReviewEachSession: true } }, doseIntervalToleranceMinutes: 30 }).success).toBe(true);
    expect(safetyOverridesSchema.safeParse({ routes: { im: { requireMedicationReviewEachSession: 'yes' } } }).success).toBe(false);
    expect(safetyOverridesSchema.safeParse({ doseIntervalToleranceMinutes: -1 }).success).toBe(false);
  });

  test('a clinic config carries its safety overrides (clinics[].safety)', () => {
    const config = configSchema.parse({ clinics: [{ id: 'clinic-a', safety: { heartRateAbove: 160, routes: { iv: { minObservationMinutes: 90 } } } }] });
    expect(config.clinics[0].safety).toEqual({ heartRateAbove: 160, routes: { iv: { minObservationMinutes: 90 } } });
    expect(() => configSchema.parse({ clinics: [{ id: 'clinic-a', safety: { heartRateAbove: 'fast' } }] })).toThrow();
  });

  test('an override changes the verdict: HR 150 fires by default, not for a clinic that sets 160', () => {
    expect(signalCodes(withHeartRate(150))).toEqual(['heart-rate-out-of-range moderate']);
    expect(signalCodes(withHeartRate(150), { heartRateAbove: 160 })).toEqual([]);
  });

  test('defaults: no per-session medication review required for racemic ketamine (clinic-set), a 60 min interval tolerance', () => {
    for (const route of Object.values(DEFAULT_SAFETY_CONFIG.routes)) {
      expect(route.requireMedicationReviewEachSession).toBe(false);
    }
    expect(DEFAULT_SAFETY_CONFIG.doseIntervalToleranceMinutes).toBe(60);
  });

  test('an override changes the verdict the other way: a stricter IV observation time', () => {
    expect(signalCodes(baseEpisode())).toEqual([]);
    expect(signalCodes(baseEpisode(), { routes: { iv: { minObservationMinutes: 120 } } })).toEqual(['observation-too-short moderate']);
  });
});
