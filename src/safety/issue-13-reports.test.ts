/**
 * What a prescribing clinician saw the service stay silent on (issue 13, "Why"): each now raises its signal.
 */
import { describe, expect, test } from '@jest/globals';
import { addDosingCopy, baseEpisode, describeSignals, esketamineEpisode, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';

function signals(ep: EpisodeJson): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, detectSignals(bundle));
}

function dosing(ep: EpisodeJson): EpisodeJson {
  return ep.sessions[1];
}

const MA = 'MedicationAdministration/s-02';

describe('issue 13: no longer silent', () => {
  test('200 mg esketamine', () => {
    const ep = esketamineEpisode();
    dosing(ep).dose = { unit: 'mg', value: 200 };
    expect(signals(ep)).toEqual([
      `dose-above-prescription urgent ${MA} MedicationRequest/rx-1`,
      `esketamine-dose-invalid urgent ${MA}`,
      `rems-form-incomplete attention ${MA}`, // the REMS record offers 28, 56 or 84 mg only
    ]);
  });

  test('5 mg/kg IV ketamine (prescribed 5 mg/kg too)', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].dose.value = 5;
    dosing(ep).dose.value = 5;
    expect(signals(ep)).toEqual([`dose-per-kg-above-ceiling urgent ${MA} Observation/s-02-weight`]);
  });

  test('esketamine given IV against an intranasal prescription', () => {
    const ep = esketamineEpisode();
    dosing(ep).route = 'iv';
    expect(signals(ep)).toEqual([`route-mismatch urgent ${MA} MedicationRequest/rx-1`, `esketamine-route-invalid urgent ${MA}`]);
  });

  test('two esketamine doses the same day', () => {
    const ep = esketamineEpisode();
    addDosingCopy(ep, 's-03', (t) => t.replace(/T(\d{2})/, (_m, h: string) => `T${Number(h) + 4}`));
    expect(signals(ep)).toEqual([`esketamine-two-doses-same-day urgent MedicationAdministration/s-03 ${MA}`]);
  });

  test('four doses against a one-session prescription', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].sessions = 1;
    for (const [id, day] of [['s-03', '2026-04-06'], ['s-04', '2026-04-09'], ['s-05', '2026-04-13']]) {
      addDosingCopy(ep, id, (t) => t.replace('2026-04-03', day));
    }
    expect(signals(ep)).toEqual(
      ['s-03', 's-04', 's-05'].map((id) => `sessions-exceed-prescription urgent MedicationAdministration/${id} MedicationRequest/rx-1`)
    );
  });

  test('BP 190/115 during a dose', () => {
    const ep = baseEpisode();
    Object.assign(dosing(ep).vitals.find((v: { id: string }) => v.id === 's-02-bp-mid'), { systolic: 190, diastolic: 115 });
    expect(signals(ep)).toEqual([`bp-during-high urgent Observation/s-02-bp-mid ${MA}`]);
  });

  test('a respiratory rate of 6 and a heart rate of 150', () => {
    const ep = baseEpisode();
    dosing(ep).vitals.push(
      { id: 's-02-rr', time: '2026-04-03T09:40:00-05:00', phase: 'during-dose', kind: 'respiratory-rate', value: 6 },
      { id: 's-02-hr', time: '2026-04-03T09:40:00-05:00', phase: 'during-dose', kind: 'heart-rate', value: 150 }
    );
    expect(signals(ep)).toEqual(['heart-rate-out-of-range attention Observation/s-02-hr', 'respiratory-rate-low urgent Observation/s-02-rr']);
  });

  test('an IV dose with no vitals, discharged 10 minutes after it', () => {
    const ep = baseEpisode();
    Object.assign(dosing(ep), { vitals: [], dischargedAt: '2026-04-03T10:05:00-05:00', end: '2026-04-03T10:05:00-05:00' });
    dosing(ep).discharge.readyAt = '2026-04-03T10:05:00-05:00';
    expect(signals(ep)).toEqual([
      `monitoring-bp-missing attention ${MA}`,
      `monitoring-spo2-missing attention ${MA}`,
      `observation-too-short attention ${MA} Encounter/s-02`,
    ]);
  });
});
