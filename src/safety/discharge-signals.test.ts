/**
 * discharge-time-missing (issue 13: "A dosing session without a discharge time … raises a signal"), including a
 * dosing session with no `end` at all: it fires once the session is over by the episode's own evidence — a later
 * session of the episode started, the episode is finished or cancelled, or the episode was updated (Provenance
 * `recorded` = the episode's `updatedAt`) later than both the dose + the required observation time of its route and
 * 12 hours after the dose start. Near misses: the last, ongoing session of an active episode sent during the
 * observation, or later the same day (the patient may still be observed).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { addDosingCopy, baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import type { SafetyOverrides } from './config.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle, overrides));
}

function edit(ep: EpisodeJson, change: (ep: EpisodeJson) => void): EpisodeJson {
  change(ep);
  return ep;
}

/** The dosing session `id` left open: no end, no discharge time, no discharge readiness. */
function open(ep: EpisodeJson, id = 's-02'): EpisodeJson {
  const s = ep.sessions.find((x: { id: string }) => x.id === id);
  delete s.end;
  delete s.dischargedAt;
  delete s.discharge;
  return ep;
}

const at = (hhmm: string, day = '03'): string => `2026-04-${day}T${hhmm}:00-05:00`;
const MISSING = 'discharge-time-missing attention MedicationAdministration/s-02 Encounter/s-02';

/** The base episode (IV, infusion 09:15–09:55) sent at `updatedAt`, the dosing session left open. */
const ivSentAt = (hhmm: string, day = '03'): EpisodeJson => edit(open(baseEpisode()), (ep) => (ep.updatedAt = at(hhmm, day)));

/** The dosing session given sublingually (dose 09:15, no dose end), prescribed so, left open, sent at `updatedAt`. */
function sublingualSentAt(hhmm: string, day = '03'): EpisodeJson {
  return edit(open(baseEpisode()), (ep) => {
    ep.prescriptions[0] = { ...ep.prescriptions[0], route: 'sublingual', dose: { unit: 'mg', value: 200 } };
    Object.assign(ep.sessions[1], { route: 'sublingual', dose: { unit: 'mg', value: 200 } });
    delete ep.sessions[1].doseEnd;
    ep.updatedAt = at(hhmm, day);
  });
}

type Case = [name: string, make: () => EpisodeJson, expected: string[]];

const cases: Case[] = [
  // The session ended (Encounter finished) without a discharge time: the rule as it was
  ['discharge-time-missing: session ended (end recorded), no discharge time', () => edit(baseEpisode(), (ep) => delete ep.sessions[1].dischargedAt), [MISSING]],
  // No end: over by the episode's evidence
  ['discharge-time-missing: no end, no discharge, a later dosing session started', () =>
    edit(baseEpisode(), (ep) => { addDosingCopy(ep, 's-03', (t) => t.replace('2026-04-03', '2026-04-06')); open(ep); }), [MISSING]],
  ['discharge-time-missing: no end, no discharge, a later integration session started', () =>
    edit(open(baseEpisode()), (ep) => {
      ep.updatedAt = at('10:30');
      ep.sessions.push({ id: 's-03', kind: 'integration', start: '2026-04-04T10:00:00-05:00', end: '2026-04-04T11:00:00-05:00', practitionerIds: ['pr-th'] });
    }), [MISSING]],
  ['discharge-time-missing: no end, no discharge, the episode finished', () =>
    edit(open(baseEpisode()), (ep) => { ep.status = 'finished'; ep.period.end = '2026-04-10T17:00:00-05:00'; ep.updatedAt = at('10:30'); }), [MISSING]],
  ['discharge-time-missing: no end, no discharge, the episode cancelled', () =>
    edit(open(baseEpisode()), (ep) => { ep.status = 'cancelled'; ep.updatedAt = at('10:30'); }), [MISSING]],
  ['discharge-time-missing: no end, no discharge, sent a week later (the fixture\'s updatedAt)', () => open(baseEpisode()), [MISSING]],
  ['discharge-time-missing: IV, sent 12 h 1 min after the dose started (dose 09:15)', () => ivSentAt('21:16'), [MISSING]],
  ['near miss: IV, sent exactly 12 h after the dose started (discharge-time-missing)', () => ivSentAt('21:15'), []],
  ['near miss: IV, sent 61 min after the infusion ended, the patient may still be observed (discharge-time-missing)', () => ivSentAt('10:56'), []],
  ['near miss: IV, the last ongoing session of an active episode sent during the observation (discharge-time-missing)', () => ivSentAt('10:30'), []],
  ['near miss: IV, sent during the infusion (discharge-time-missing)', () => ivSentAt('09:40'), []],
  ['discharge-time-missing: sublingual, sent the next morning', () => sublingualSentAt('08:00', '04'), [MISSING]],
  ['near miss: sublingual, sent 91 min after the dose (discharge-time-missing)', () => sublingualSentAt('10:46'), []],
  ['discharge-time-missing: esketamine, sent the next day', () =>
    edit(open(esketamineEpisode()), (ep) => (ep.updatedAt = at('09:00', '04'))),
    [MISSING, 'rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: esketamine, sent 2 h 1 min after the dose (discharge-time-missing)', () =>
    edit(open(esketamineEpisode()), (ep) => (ep.updatedAt = at('11:16'))),
    ['rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: esketamine, sent 1 h 45 min after the dose (discharge-time-missing)', () =>
    edit(open(esketamineEpisode()), (ep) => (ep.updatedAt = at('11:00'))),
    ['rems-form-incomplete attention MedicationAdministration/s-02']],
  ['near miss: a held dose with no end in a finished episode (discharge-time-missing)', () =>
    edit(open(baseEpisode()), (ep) => {
      Object.assign(ep.sessions[1], { doseStatus: 'held', doseStatusReason: 'clinician-decision' });
      ep.status = 'finished';
      ep.period.end = '2026-04-10T17:00:00-05:00';
    }), []],
  ['near miss: a later session started before the dose (discharge-time-missing)', () =>
    edit(open(baseEpisode()), (ep) => {
      ep.updatedAt = at('10:30');
      ep.sessions.push({ id: 's-00', kind: 'preparation', start: '2026-04-02T10:00:00-05:00', end: '2026-04-02T11:00:00-05:00', practitionerIds: ['pr-th'] });
    }), []],
];

describe('discharge-time-missing', () => {
  test.each(cases)('%s', (_name, make, expected) => {
    expect(signals(make())).toEqual(expected);
  });

  test('the required observation time is the clinic\'s: an IV minimum of 13 h keeps a session sent 12 h 30 after the dose open', () => {
    const long = { routes: { iv: { minObservationMinutes: 13 * 60 } } };
    expect(signals(ivSentAt('21:45'), long)).toEqual([]);
    expect(signals(ivSentAt('22:56'), long)).toEqual([MISSING]); // infusion end 09:55 + 13 h, one minute past
  });

  test('iv-ketamine-trd: a middle infusion (s-05) left without end, discharge and readiness → discharge-time-missing', () => {
    const ep = JSON.parse(readFileSync(new URL('../../examples/iv-ketamine-trd.json', import.meta.url), 'utf8'));
    open(ep, 's-05');
    expect(signals(ep)).toEqual(['discharge-time-missing attention MedicationAdministration/s-05 Encounter/s-05']);
  });
});
