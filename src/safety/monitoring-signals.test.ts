/**
 * Required monitoring and discharge rules of issue 13 (docs/safety.md): esketamine's BP window around 40 min and
 * before discharge, pulse oximetry, racemic ketamine's per-route minimum of BPs and observation time, discharge time
 * missing, discharge criteria not met, drove home; held / refused doses fire none, a partial dose counts as given.
 * Each: a firing case and a near miss.
 */
import { describe, expect, test } from '@jest/globals';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { baseEpisode, describeSignals, esketamineEpisode, idsOf, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import type { SafetyOverrides } from './config.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle, overrides));
}

function dosing(ep: EpisodeJson): EpisodeJson {
  return ep.sessions[1];
}

function vital(ep: EpisodeJson, id: string): EpisodeJson {
  return dosing(ep).vitals.find((v: { id: string }) => v.id === id);
}

function without(ep: EpisodeJson, ...ids: string[]): EpisodeJson {
  dosing(ep).vitals = dosing(ep).vitals.filter((v: { id: string }) => !ids.includes(v.id));
  return ep;
}

function edit(ep: EpisodeJson, change: (ep: EpisodeJson) => void): EpisodeJson {
  change(ep);
  return ep;
}

const at = (hhmm: string): string => `2026-04-03T${hhmm}:00-05:00`;
const ESK_BP_MISSING = 'esketamine-bp-missing attention MedicationAdministration/s-02';

/** The base episode given by another route (prescribed so, same mg/kg; dose 09:15–09:55, discharge 11:30). */
function by(route: string, ep: EpisodeJson = baseEpisode()): EpisodeJson {
  ep.prescriptions[0].route = route;
  dosing(ep).route = route;
  return ep;
}

type Case = [name: string, make: () => EpisodeJson, expected: string[]];

const cases: Case[] = [
  // Esketamine: BP in the 30–60 min window after the dose start (dose 09:15)
  ['esketamine: the "40 min" BP at 61 min → esketamine-bp-missing', () => edit(esketamineEpisode(), (ep) => (vital(ep, 's-02-bp-40').time = at('10:16'))), [ESK_BP_MISSING, 'rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: the "40 min" BP at 60 min (esketamine-bp-missing)', () => edit(esketamineEpisode(), (ep) => (vital(ep, 's-02-bp-40').time = at('10:15'))), []],
  // Esketamine: BP within 30 min before discharge (11:30)
  ['esketamine: last BP 35 min before discharge → esketamine-bp-missing', () => edit(esketamineEpisode(), (ep) => (vital(ep, 's-02-bp-2h').time = at('10:55'))), [ESK_BP_MISSING]],
  ['near miss: last BP 30 min before discharge (esketamine-bp-missing)', () => edit(esketamineEpisode(), (ep) => (vital(ep, 's-02-bp-2h').time = at('11:00'))), []],
  // Esketamine: pulse oximetry after the dose
  ['esketamine: no SpO2 after the dose → monitoring-spo2-missing', () => without(esketamineEpisode(), 's-02-sp-40'),
    ['monitoring-spo2-missing attention MedicationAdministration/s-02', 'rems-form-incomplete attention MedicationAdministration/s-02']],
  ['esketamine: a pre-dose SpO2 only → monitoring-spo2-missing', () =>
    edit(without(esketamineEpisode(), 's-02-sp-40'), (ep) => dosing(ep).vitals.push({ id: 's-02-sp-pre', time: at('09:05'), phase: 'pre-dose', kind: 'oxygen-saturation', value: 98 })),
    ['monitoring-spo2-missing attention MedicationAdministration/s-02', 'rems-form-incomplete attention MedicationAdministration/s-02']],
  // Racemic ketamine (IV defaults: pre-dose BP, ≥ 1 BP from the dose start, SpO2, 60 min after the infusion)
  ['IV: no pre-dose BP → monitoring-bp-missing', () => without(baseEpisode(), 's-02-bp-pre'), ['monitoring-bp-missing attention MedicationAdministration/s-02']],
  ['IV: no BP from the dose start on → monitoring-bp-missing', () => without(baseEpisode(), 's-02-bp-mid', 's-02-bp-post'), ['monitoring-bp-missing attention MedicationAdministration/s-02']],
  ['near miss: IV with the pre-dose BP and one during the infusion (monitoring-bp-missing)', () => without(baseEpisode(), 's-02-bp-post'), []],
  ['IV: SpO2 only before the dose → monitoring-spo2-missing', () => without(baseEpisode(), 's-02-sp-mid'), ['monitoring-spo2-missing attention MedicationAdministration/s-02']],
  ['IV: discharge 59 min after the infusion → observation-too-short', () => edit(baseEpisode(), (ep) => (dosing(ep).dischargedAt = at('10:54'))),
    ['observation-too-short attention MedicationAdministration/s-02 Encounter/s-02']],
  ['near miss: IV discharge 60 min after the infusion (observation-too-short)', () => edit(baseEpisode(), (ep) => (dosing(ep).dischargedAt = at('10:55'))), []],
  // Per-route observation time of the other routes (sublingual, intranasal: 90 min; IM: 60 min after the dose end)
  ['sublingual: discharge 89 min after the dose → observation-too-short', () => edit(by('sublingual'), (ep) => (dosing(ep).dischargedAt = at('11:24'))),
    ['observation-too-short attention MedicationAdministration/s-02 Encounter/s-02']],
  ['near miss: sublingual discharge 90 min after the dose (observation-too-short)', () => edit(by('sublingual'), (ep) => (dosing(ep).dischargedAt = at('11:25'))), []],
  ['intranasal (racemic): discharge 89 min after the dose → observation-too-short', () => edit(by('intranasal'), (ep) => (dosing(ep).dischargedAt = at('11:24'))),
    ['observation-too-short attention MedicationAdministration/s-02 Encounter/s-02']],
  ['near miss: intranasal (racemic) discharge 90 min after the dose (observation-too-short)', () => edit(by('intranasal'), (ep) => (dosing(ep).dischargedAt = at('11:25'))), []],
  ['near miss: IM discharge 60 min after the dose (observation-too-short; sublingual would need 90)', () => edit(by('im'), (ep) => (dosing(ep).dischargedAt = at('10:55'))), []],
  // Spravato REMS monitoring record (src/rems)
  ['esketamine: no MOAA/S recorded → rems-form-incomplete', () => without(esketamineEpisode(), 's-02-moaas-40'), ['rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: esketamine with a complete monitoring record (rems-form-incomplete)', () => esketamineEpisode(), []],
  // Heart rate / respiratory rate minimums: not required by default
  ['near miss: IV with no heart rate or respiratory rate, default settings (monitoring-heart-rate-missing, monitoring-respiratory-rate-missing)', () => baseEpisode(), []],
  // Discharge
  ['session ended without a discharge time → discharge-time-missing', () => edit(baseEpisode(), (ep) => delete dosing(ep).dischargedAt),
    ['discharge-time-missing attention MedicationAdministration/s-02 Encounter/s-02']],
  ['near miss: session not ended yet (no end, no discharge), sent during the observation (discharge-time-missing)', () =>
    edit(baseEpisode(), (ep) => { delete dosing(ep).dischargedAt; delete dosing(ep).end; ep.updatedAt = at('10:30'); }), []],
  ['session with no end and no discharge time, sent a week later → discharge-time-missing', () =>
    edit(baseEpisode(), (ep) => { delete dosing(ep).dischargedAt; delete dosing(ep).end; }),
    ['discharge-time-missing attention MedicationAdministration/s-02 Encounter/s-02']],
  ['discharge criteria not met → discharge-criteria-not-met', () => edit(baseEpisode(), (ep) => (dosing(ep).discharge.criteriaMet = false)),
    ['discharge-criteria-not-met attention Observation/s-02-discharge MedicationAdministration/s-02']],
  ['patient drove home → discharge-drove-self', () => edit(baseEpisode(), (ep) => (dosing(ep).discharge.transport = 'drove-self')),
    ['discharge-drove-self attention Observation/s-02-discharge MedicationAdministration/s-02']],
  ['near miss: taxi home, criteria met (discharge-drove-self, discharge-criteria-not-met)', () => edit(baseEpisode(), (ep) => (dosing(ep).discharge.transport = 'taxi-or-rideshare')), []],
  // Held / refused doses fire no dose or monitoring rule; a partial dose counts as given
  ['held dose with no vitals after, no discharge time, no review: nothing', () =>
    edit(without(baseEpisode(), 's-02-bp-mid', 's-02-sp-mid', 's-02-bp-post'), (ep) => {
      Object.assign(dosing(ep), { doseStatus: 'held', doseStatusReason: 'blood-pressure-high', dose: { unit: 'mg/kg', value: 5, bodyWeightKg: 82.4 } });
      Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 172, diastolic: 104 });
      delete dosing(ep).dischargedAt;
      delete dosing(ep).medicationReview;
      delete ep.sessions[0].medicationReview;
    }), []],
  ['refused dose: nothing', () =>
    edit(without(baseEpisode(), 's-02-bp-mid', 's-02-sp-mid', 's-02-bp-post'), (ep) => Object.assign(dosing(ep), { doseStatus: 'refused', doseStatusReason: 'patient-refused' })), []],
  ['partial dose counts as given: no SpO2 during it → monitoring-spo2-missing', () =>
    edit(without(baseEpisode(), 's-02-sp-mid'), (ep) => Object.assign(dosing(ep), { doseStatus: 'partial', doseStatusReason: 'adverse-reaction', dose: { unit: 'mg/kg', value: 0.3, bodyWeightKg: 82.4 } })),
    ['monitoring-spo2-missing attention MedicationAdministration/s-02']],
];

/** The mapped base episode with the SpO2 during the infusion moved to `time` and its `kap-dosing-phase` removed (phase by time). */
function spo2At(time: string): Bundle {
  const bundle = mapped(without(baseEpisode(), 's-02-sp-pre'));
  const entry = (bundle.entry ?? []).find((e) => e.fullUrl && idsOf(bundle, [e.fullUrl])[0] === 'Observation/s-02-sp-mid');
  const o = entry?.resource as Observation;
  o.effectiveDateTime = time;
  o.extension = (o.extension ?? []).filter((x) => !x.url.endsWith('/kap-dosing-phase'));
  return bundle;
}

/** The base episode with heart rates / respiratory rates taken during and after the infusion. */
function withRates(hr: number, rr: number): EpisodeJson {
  const ep = baseEpisode();
  for (let i = 0; i < hr; i++) {
    dosing(ep).vitals.push({ id: `s-02-hr-${i}`, time: at(`10:${10 + i}`), phase: 'post-dose', kind: 'heart-rate', value: 80 });
  }
  for (let i = 0; i < rr; i++) {
    dosing(ep).vitals.push({ id: `s-02-rr-${i}`, time: at(`10:${10 + i}`), phase: 'post-dose', kind: 'respiratory-rate', value: 14 });
  }
  return ep;
}

describe('monitoring and discharge rules', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(signals(make())).toEqual(expected);
  });

  test('monitoring-spo2-missing: an SpO2 with no phase, one second before the dose start, is pre-dose', () => {
    const bundle = spo2At('2026-04-03T09:14:59-05:00');
    expect(describeSignals(bundle, detectSignals(bundle))).toEqual(['monitoring-spo2-missing attention MedicationAdministration/s-02']);
  });

  test('near miss: an SpO2 with no phase exactly at the dose start counts (monitoring-spo2-missing)', () => {
    const bundle = spo2At('2026-04-03T09:15:00-05:00');
    expect(describeSignals(bundle, detectSignals(bundle))).toEqual([]);
  });

  test('IV, a clinic requiring 2 heart rates and 1 respiratory rate from the dose start on, 1 HR and none → monitoring-heart-rate-missing, monitoring-respiratory-rate-missing', () => {
    const required = { routes: { iv: { minHeartRatesAfterDose: 2, minRespiratoryRatesAfterDose: 1 } } };
    expect(signals(withRates(1, 0), required)).toEqual([
      'monitoring-heart-rate-missing attention MedicationAdministration/s-02',
      'monitoring-respiratory-rate-missing attention MedicationAdministration/s-02',
    ]);
  });

  test('near miss: the required 2 heart rates and 1 respiratory rate taken; pre-dose ones do not count (monitoring-heart-rate-missing, monitoring-respiratory-rate-missing)', () => {
    const required = { routes: { iv: { minHeartRatesAfterDose: 2, minRespiratoryRatesAfterDose: 1 } } };
    expect(signals(withRates(2, 1), required)).toEqual([]);
    const predose = edit(withRates(1, 1), (ep) =>
      dosing(ep).vitals.push({ id: 's-02-hr-pre', time: at('09:05'), phase: 'pre-dose', kind: 'heart-rate', value: 80 })
    );
    expect(signals(predose, required)).toEqual(['monitoring-heart-rate-missing attention MedicationAdministration/s-02']);
    expect(signals(withRates(0, 0), { routes: { sublingual: { minHeartRatesAfterDose: 2 } } })).toEqual([]);
  });

  test('near miss: esketamine is not held to the racemic heart rate / respiratory rate minimums (monitoring-heart-rate-missing)', () => {
    expect(signals(esketamineEpisode(), { routes: { intranasal: { minHeartRatesAfterDose: 2, minRespiratoryRatesAfterDose: 2 } } })).toEqual([]);
  });

  test('the esketamine window and the racemic per-route settings are the clinic\'s', () => {
    const late = edit(esketamineEpisode(), (ep) => (vital(ep, 's-02-bp-40').time = at('10:16')));
    expect(signals(late, { esketaminePostDoseBpWindowMinutes: { to: 75 } })).toEqual([]);
    expect(signals(baseEpisode(), { routes: { iv: { minObservationMinutes: 120 } } })).toEqual([
      'observation-too-short attention MedicationAdministration/s-02 Encounter/s-02',
    ]);
    expect(signals(without(baseEpisode(), 's-02-sp-mid'), { routes: { iv: { requireOxygenSaturation: false } } })).toEqual([]);
    expect(signals(without(baseEpisode(), 's-02-bp-post'), { routes: { iv: { minBloodPressuresAfterDose: 2 } } })).toEqual([
      'monitoring-bp-missing attention MedicationAdministration/s-02',
    ]);
  });
});
