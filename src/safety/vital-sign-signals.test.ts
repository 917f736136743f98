/**
 * Vital-sign rules of issue 13 (docs/safety.md): severe BP during / after the dose, esketamine's pre-dose BP above
 * the label level, heart rate and respiratory rate out of range. Each: a firing case and a near miss.
 */
import { describe, expect, test } from '@jest/globals';
import { baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import type { SafetyOverrides } from './config.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle, overrides));
}

function vital(ep: EpisodeJson, id: string): EpisodeJson {
  return ep.sessions[1].vitals.find((v: { id: string }) => v.id === id);
}

function addVital(ep: EpisodeJson, v: EpisodeJson): EpisodeJson {
  ep.sessions[1].vitals.push(v);
  return ep;
}

const at = (hhmm: string): string => `2026-04-03T${hhmm}:00-05:00`;

type Case = [name: string, make: () => EpisodeJson, expected: string[]];

const cases: Case[] = [
  // BP during the dose (ACC/AHA 2017 severe: > 180 and/or > 120)
  ['BP 190/115 during the dose → bp-during-high', () => { const ep = baseEpisode(); Object.assign(vital(ep, 's-02-bp-mid'), { systolic: 190, diastolic: 115 }); return ep; },
    ['bp-during-high urgent Observation/s-02-bp-mid MedicationAdministration/s-02']],
  ['diastolic 121 during the dose → bp-during-high', () => { const ep = baseEpisode(); Object.assign(vital(ep, 's-02-bp-mid'), { systolic: 170, diastolic: 121 }); return ep; },
    ['bp-during-high urgent Observation/s-02-bp-mid MedicationAdministration/s-02']],
  ['near miss: 180/120 during the dose (bp-during-high)', () => { const ep = baseEpisode(); Object.assign(vital(ep, 's-02-bp-mid'), { systolic: 180, diastolic: 120 }); return ep; }, []],
  // BP after the dose
  ['BP 185/100 after the dose (normal again at discharge) → bp-post-high', () =>
    addVital(baseEpisode(), { id: 's-02-bp-post0', time: at('10:10'), phase: 'post-dose', kind: 'blood-pressure', systolic: 185, diastolic: 100 }),
    ['bp-post-high urgent Observation/s-02-bp-post0 MedicationAdministration/s-02']],
  ['near miss: 180/119 after the dose (bp-post-high)', () =>
    addVital(baseEpisode(), { id: 's-02-bp-post0', time: at('10:10'), phase: 'post-dose', kind: 'blood-pressure', systolic: 180, diastolic: 119 }), []],
  // Esketamine pre-dose BP above the label's "consider delaying" level (> 140/90)
  ['esketamine, pre-dose 142/88 → bp-predose-above-label', () => { const ep = esketamineEpisode(); Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 142, diastolic: 88 }); return ep; },
    ['bp-predose-above-label attention Observation/s-02-bp-pre MedicationAdministration/s-02']],
  ['near miss: esketamine, pre-dose 140/90 (bp-predose-above-label)', () => { const ep = esketamineEpisode(); Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 140, diastolic: 90 }); return ep; }, []],
  ['esketamine, pre-dose 165/95: only the urgent rule', () => { const ep = esketamineEpisode(); Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 165, diastolic: 95 }); return ep; },
    ['bp-predose-high urgent Observation/s-02-bp-pre MedicationAdministration/s-02']],
  ['near miss: racemic ketamine, pre-dose 150/94 (the label level is esketamine\'s; bp-predose-above-label)', () => { const ep = baseEpisode(); Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 150, diastolic: 94 }); return ep; }, []],
  // Heart rate (project default 50–120 /min)
  ['HR 150 → heart-rate-out-of-range', () => addVital(baseEpisode(), { id: 's-02-hr', time: at('09:40'), phase: 'during-dose', kind: 'heart-rate', value: 150 }),
    ['heart-rate-out-of-range attention Observation/s-02-hr']],
  ['HR 48 → heart-rate-out-of-range', () => addVital(baseEpisode(), { id: 's-02-hr', time: at('09:40'), phase: 'during-dose', kind: 'heart-rate', value: 48 }),
    ['heart-rate-out-of-range attention Observation/s-02-hr']],
  ['near miss: HR 120 (heart-rate-out-of-range)', () => addVital(baseEpisode(), { id: 's-02-hr', time: at('09:40'), phase: 'during-dose', kind: 'heart-rate', value: 120 }), []],
  ['near miss: HR 50 (heart-rate-out-of-range)', () => addVital(baseEpisode(), { id: 's-02-hr', time: at('09:40'), phase: 'during-dose', kind: 'heart-rate', value: 50 }), []],
  // Respiratory rate (project default 10–24 /min)
  ['RR 6 → respiratory-rate-low (urgent)', () => addVital(baseEpisode(), { id: 's-02-rr', time: at('09:40'), phase: 'during-dose', kind: 'respiratory-rate', value: 6 }),
    ['respiratory-rate-low urgent Observation/s-02-rr']],
  ['near miss: RR 10 (respiratory-rate-low)', () => addVital(baseEpisode(), { id: 's-02-rr', time: at('09:40'), phase: 'during-dose', kind: 'respiratory-rate', value: 10 }), []],
  ['RR 28 → respiratory-rate-high (attention)', () => addVital(baseEpisode(), { id: 's-02-rr', time: at('09:40'), phase: 'during-dose', kind: 'respiratory-rate', value: 28 }),
    ['respiratory-rate-high attention Observation/s-02-rr']],
  ['near miss: RR 24 (respiratory-rate-high)', () => addVital(baseEpisode(), { id: 's-02-rr', time: at('09:40'), phase: 'during-dose', kind: 'respiratory-rate', value: 24 }), []],
];

describe('vital-sign rules', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(signals(make())).toEqual(expected);
  });

  test('a held dose: a severe reading during the planned dose window fires no dose-bound BP rule', () => {
    const ep = baseEpisode();
    Object.assign(ep.sessions[1], { doseStatus: 'held', doseStatusReason: 'blood-pressure-high' });
    Object.assign(vital(ep, 's-02-bp-mid'), { systolic: 190, diastolic: 115 });
    expect(signals(ep)).toEqual([]);
  });
});
