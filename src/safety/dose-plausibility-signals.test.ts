/**
 * Dose plausibility and frequency rules of issue 13 (docs/safety.md): esketamine only 28/56/84 mg and intranasal,
 * racemic ketamine's mg/kg ceiling per route (the weight the dose cites, else the latest one before it), two
 * esketamine doses in a day, an interval shorter than prescribed, more doses than prescribed sessions. Each: a
 * firing case and a near miss.
 */
import { describe, expect, test } from '@jest/globals';
import { addDosingCopy, baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import type { SafetyOverrides } from './config.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle, overrides));
}

function dosing(ep: EpisodeJson): EpisodeJson {
  return ep.sessions[1];
}

function edit(ep: EpisodeJson, change: (ep: EpisodeJson) => void): EpisodeJson {
  change(ep);
  return ep;
}

/** Moves a time to another calendar day (same clock time). */
const toDay = (day: string) => (t: string): string => t.replace('2026-04-03', day);
/** Moves a time four hours later the same day. */
const later = (t: string): string => t.replace(/T(\d{2})/, (_m, h: string) => `T${String(Number(h) + 4).padStart(2, '0')}`);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Moves a time (of the fixture's -05:00 offset) by `ms` of elapsed time, keeping the offset. */
const shiftBy = (ms: number) => (t: string): string =>
  `${new Date(Date.parse(t) + ms - 5 * HOUR).toISOString().slice(0, 19)}-05:00`;

/** The base episode with an IM mg prescription `rx-2` and a second dose `s-03` three days later by it. */
function imDoseAfterWeighedIv(mg: number): EpisodeJson {
  const ep = baseEpisode();
  ep.prescriptions.push({ ...ep.prescriptions[0], id: 'rx-2', route: 'im', dose: { unit: 'mg', value: 200 } });
  const s3 = addDosingCopy(ep, 's-03', toDay('2026-04-06'));
  Object.assign(s3, { prescriptionId: 'rx-2', route: 'im', dose: { unit: 'mg', value: mg } });
  delete s3.doseEnd;
  return ep;
}

/** The base episode with the dose (mg/kg, 82.4 kg) prescribed and given by `route` — the ceiling checked from the recorded mg/kg. */
function perKgBy(route: string, mgPerKg: number): EpisodeJson {
  const ep = baseEpisode();
  Object.assign(ep.prescriptions[0], { route, dose: { unit: 'mg/kg', value: mgPerKg } });
  Object.assign(dosing(ep), { route, dose: { unit: 'mg/kg', value: mgPerKg, bodyWeightKg: 82.4 } });
  return ep;
}

/** The base episode with a flat mg dose (prescribed in mg unless said) given by `route`, no body weight anywhere. */
function mgWithoutWeight(route: string, prescribed: { unit: string; value: number } = { unit: 'mg', value: 100 }): EpisodeJson {
  const ep = baseEpisode();
  Object.assign(ep.prescriptions[0], { route, dose: prescribed });
  Object.assign(dosing(ep), { route, dose: { unit: 'mg', value: 100 } });
  return ep;
}

const CEILING = 'dose-per-kg-above-ceiling urgent MedicationAdministration/s-02 Observation/s-02-weight';
const UNCHECKED = 'dose-per-kg-unchecked attention MedicationAdministration/s-02';

type Case = [name: string, make: () => EpisodeJson, expected: string[]];

const cases: Case[] = [
  // Esketamine dose and route (Spravato label)
  ['esketamine 200 mg → esketamine-dose-invalid (and above the 56 mg prescription)', () => edit(esketamineEpisode(), (ep) => (dosing(ep).dose = { unit: 'mg', value: 200 })),
    ['dose-above-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1', 'esketamine-dose-invalid urgent MedicationAdministration/s-02', 'rems-form-incomplete attention MedicationAdministration/s-02']],
  ['esketamine 42 mg (below the prescription) → esketamine-dose-invalid', () => edit(esketamineEpisode(), (ep) => (dosing(ep).dose = { unit: 'mg', value: 42 })),
    ['esketamine-dose-invalid urgent MedicationAdministration/s-02', 'rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: esketamine 28 mg (esketamine-dose-invalid)', () => edit(esketamineEpisode(), (ep) => (dosing(ep).dose = { unit: 'mg', value: 28 })), []],
  ['esketamine given IV (prescribed IV too) → esketamine-route-invalid', () =>
    edit(esketamineEpisode(), (ep) => { dosing(ep).route = 'iv'; ep.prescriptions[0].route = 'iv'; }),
    ['esketamine-route-invalid urgent MedicationAdministration/s-02']],
  ['near miss: esketamine intranasal (esketamine-route-invalid)', () => esketamineEpisode(), []],
  // Racemic ketamine mg/kg ceiling per route
  ['IV 5 mg/kg → dose-per-kg-above-ceiling (and above the prescription)', () => edit(baseEpisode(), (ep) => (dosing(ep).dose.value = 5)),
    [
      'dose-above-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1 Observation/s-02-weight',
      'dose-per-kg-above-ceiling urgent MedicationAdministration/s-02 Observation/s-02-weight',
    ]],
  ['near miss: IV 1.0 mg/kg prescribed and given (the IV ceiling: dose-per-kg-above-ceiling)', () =>
    edit(baseEpisode(), (ep) => { dosing(ep).dose.value = 1; ep.prescriptions[0].dose.value = 1; }), []],
  ['IM 130 mg, weight from the earlier IV dose (82.4 kg → 1.58 mg/kg > 1.5) → dose-per-kg-above-ceiling', () => imDoseAfterWeighedIv(130),
    ['dose-per-kg-above-ceiling urgent MedicationAdministration/s-03 Observation/s-02-weight']],
  ['near miss: IM 120 mg (1.46 mg/kg; dose-per-kg-above-ceiling)', () => imDoseAfterWeighedIv(120), []],
  // The ceilings of the other routes (config.ts ROUTE_DEFAULTS: intranasal 2, oral / sublingual / buccal 4 mg/kg)
  ['intranasal 2.1 mg/kg → dose-per-kg-above-ceiling', () => perKgBy('intranasal', 2.1), [CEILING]],
  ['near miss: intranasal 2.0 mg/kg (dose-per-kg-above-ceiling)', () => perKgBy('intranasal', 2), []],
  ['oral 4.1 mg/kg → dose-per-kg-above-ceiling', () => perKgBy('oral', 4.1), [CEILING]],
  ['near miss: oral 4.0 mg/kg (dose-per-kg-above-ceiling)', () => perKgBy('oral', 4), []],
  ['sublingual 4.1 mg/kg → dose-per-kg-above-ceiling', () => perKgBy('sublingual', 4.1), [CEILING]],
  ['near miss: sublingual 4.0 mg/kg (dose-per-kg-above-ceiling)', () => perKgBy('sublingual', 4), []],
  ['buccal 4.1 mg/kg → dose-per-kg-above-ceiling', () => perKgBy('buccal', 4.1), [CEILING]],
  ['near miss: buccal 4.0 mg/kg (dose-per-kg-above-ceiling)', () => perKgBy('buccal', 4), []],
  ['IM 1.6 mg/kg → dose-per-kg-above-ceiling', () => perKgBy('im', 1.6), [CEILING]],
  ['near miss: IM 1.5 mg/kg (dose-per-kg-above-ceiling)', () => perKgBy('im', 1.5), []],
  // No body weight: the ceiling cannot be judged
  ['sublingual 100 mg, prescribed 1.5 mg/kg, no body weight → dose-per-kg-unchecked (with the prescription)', () =>
    mgWithoutWeight('sublingual', { unit: 'mg/kg', value: 1.5 }), [`${UNCHECKED} MedicationRequest/rx-1`]],
  ['near miss: sublingual 100 mg prescribed in mg, no body weight, default settings (dose-per-kg-unchecked)', () => mgWithoutWeight('sublingual'), []],
  ['near miss: IM 120 mg prescribed 1.5 mg/kg, the weight known from the earlier IV dose (dose-per-kg-unchecked)', () =>
    edit(imDoseAfterWeighedIv(120), (ep) => (ep.prescriptions[1].dose = { unit: 'mg/kg', value: 1.5 })), []],
  ['near miss: esketamine 56 mg without a weight (dose-per-kg-unchecked)', () => esketamineEpisode(), []],
  // Frequency
  ['two esketamine doses the same day → esketamine-two-doses-same-day', () => edit(esketamineEpisode(), (ep) => addDosingCopy(ep, 's-03', later)),
    ['esketamine-two-doses-same-day urgent MedicationAdministration/s-03 MedicationAdministration/s-02']],
  ['near miss: exactly 24 h later, the next day (esketamine-two-doses-same-day)', () => edit(esketamineEpisode(), (ep) => addDosingCopy(ep, 's-03', toDay('2026-04-04'))), []],
  ['two esketamine doses 15 h apart across midnight (09:15, then 00:15 the next day) → esketamine-two-doses-same-day (within 24 h)', () =>
    edit(esketamineEpisode(), (ep) => addDosingCopy(ep, 's-03', shiftBy(15 * HOUR))),
    ['esketamine-two-doses-same-day urgent MedicationAdministration/s-03 MedicationAdministration/s-02']],
  ['near miss: 24 h and 1 min later (esketamine-two-doses-same-day)', () => edit(esketamineEpisode(), (ep) => addDosingCopy(ep, 's-03', shiftBy(24 * HOUR + MINUTE))), []],
  ['once per day, the next dose 15 h later across midnight → dose-interval-short (elapsed time, not calendar days)', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].minIntervalDays = 1; addDosingCopy(ep, 's-03', shiftBy(15 * HOUR)); }),
    ['dose-interval-short attention MedicationAdministration/s-03 MedicationRequest/rx-1 MedicationAdministration/s-02']],
  ['once per 3 days, the next dose 3 days minus 2 h later → dose-interval-short (beyond the 1 h tolerance)', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].minIntervalDays = 3; addDosingCopy(ep, 's-03', shiftBy(3 * DAY - 2 * HOUR)); }),
    ['dose-interval-short attention MedicationAdministration/s-03 MedicationRequest/rx-1 MedicationAdministration/s-02']],
  ['near miss: once per 3 days, the next dose 3 days minus 30 min later, within the tolerance (dose-interval-short)', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].minIntervalDays = 3; addDosingCopy(ep, 's-03', shiftBy(3 * DAY - 30 * MINUTE)); }), []],
  ['once per 3 days, the next dose 2 days later → dose-interval-short', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].minIntervalDays = 3; addDosingCopy(ep, 's-03', toDay('2026-04-05')); }),
    ['dose-interval-short attention MedicationAdministration/s-03 MedicationRequest/rx-1 MedicationAdministration/s-02']],
  ['near miss: 3 days later (dose-interval-short)', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].minIntervalDays = 3; addDosingCopy(ep, 's-03', toDay('2026-04-06')); }), []],
  ['a one-session prescription, a second dose → sessions-exceed-prescription', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].sessions = 1; addDosingCopy(ep, 's-03', toDay('2026-04-06')); }),
    ['sessions-exceed-prescription urgent MedicationAdministration/s-03 MedicationRequest/rx-1']],
  ['near miss: a two-session prescription (sessions-exceed-prescription)', () =>
    edit(baseEpisode(), (ep) => { ep.prescriptions[0].sessions = 2; addDosingCopy(ep, 's-03', toDay('2026-04-06')); }), []],
  ['near miss: the second dose held does not count (sessions-exceed-prescription)', () =>
    edit(baseEpisode(), (ep) => {
      ep.prescriptions[0].sessions = 1;
      Object.assign(addDosingCopy(ep, 's-03', toDay('2026-04-06')), { doseStatus: 'held', doseStatusReason: 'clinician-decision' });
    }), []],
];

describe('dose plausibility and frequency rules', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(signals(make())).toEqual(expected);
  });

  test('dose-interval-short reads the interval an EHR writes as timing.repeat (once per 3 days) as it reads maxDosePerPeriod', () => {
    const ep = edit(baseEpisode(), (e) => { e.prescriptions[0].minIntervalDays = 3; addDosingCopy(e, 's-03', toDay('2026-04-05')); });
    const bundle = mapped(ep);
    const dosage = bundle.entry?.map((x) => x.resource).find((r) => r?.resourceType === 'MedicationRequest')?.dosageInstruction?.[0];
    expect(dosage?.maxDosePerPeriod?.denominator?.value).toBe(3);
    const expected = ['dose-interval-short attention MedicationAdministration/s-03 MedicationRequest/rx-1 MedicationAdministration/s-02'];
    expect(describeSignals(bundle, detectSignals(bundle))).toEqual(expected);
    delete dosage?.maxDosePerPeriod;
    Object.assign(dosage ?? {}, { timing: { repeat: { frequency: 1, period: 3, periodUnit: 'd' } } });
    expect(describeSignals(bundle, detectSignals(bundle))).toEqual(expected);
    delete dosage?.timing; // near miss: no interval at all (dose-interval-short)
    expect(describeSignals(bundle, detectSignals(bundle))).toEqual([]);
  });

  test('dose-per-kg-unchecked: a clinic that requires a body weight for the route hears of a flat mg dose without one', () => {
    expect(signals(mgWithoutWeight('sublingual'), { routes: { sublingual: { requireBodyWeight: true } } })).toEqual([UNCHECKED]);
    expect(signals(mgWithoutWeight('sublingual'), { routes: { im: { requireBodyWeight: true } } })).toEqual([]);
    expect(signals(imDoseAfterWeighedIv(120), { routes: { im: { requireBodyWeight: true } } })).toEqual([]);
  });

  test('dose-interval-short: the tolerance is the clinic\'s (doseIntervalToleranceMinutes)', () => {
    const ep = edit(baseEpisode(), (e) => { e.prescriptions[0].minIntervalDays = 3; addDosingCopy(e, 's-03', shiftBy(3 * DAY - 30 * MINUTE)); });
    expect(signals(ep, { doseIntervalToleranceMinutes: 0 })).toEqual([
      'dose-interval-short attention MedicationAdministration/s-03 MedicationRequest/rx-1 MedicationAdministration/s-02',
    ]);
  });

  test('the ceiling and the esketamine doses are the clinic\'s', () => {
    expect(signals(imDoseAfterWeighedIv(130), { routes: { im: { maxMgPerKg: 2 } } })).toEqual([]);
    expect(signals(edit(esketamineEpisode(), (ep) => (dosing(ep).dose = { unit: 'mg', value: 28 })), { esketamineDosesMg: [56, 84] })).toEqual([
      'esketamine-dose-invalid urgent MedicationAdministration/s-02',
    ]);
  });
});
