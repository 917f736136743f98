/**
 * The episode summary view read from mapped example Bundles: every dosing session with its dose and status (held
 * included), the lowest SpO2 / highest BP per session, the scores over the episode, every signal with its state, the
 * latest plan, the care team.
 */
import { describe, expect, test } from '@jest/globals';
import { exampleBundle } from './__test__/session-view-fixture.js';
import { doseRow, episodeSummaryView, NoDosingSessionError } from './read-episode-view.js';
import { fixtureSessionView } from './__test__/session-view-fixture.js';

describe('episodeSummaryView', () => {
  test('esketamine-mdd: four doses of 56 then 84 mg, all given; PHQ-9 19 -> 3; prescriptions and care team', () => {
    const v = episodeSummaryView(exampleBundle('esketamine-mdd'), 'c1');
    expect(v.episodeId).toBe('ep-3310');
    expect(v.patient.name).toContain('Testperson');
    expect(v.sessions.map((s) => [s.sessionId, s.dose.mg, s.dose.status, s.dose.esketamine])).toEqual([
      ['es-02', 56, 'given', true],
      ['es-03', 84, 'given', true],
      ['es-04', 84, 'given', true],
      ['es-05', 84, 'given', true],
    ]);
    expect(v.prescriptions.map((p) => p.id)).toEqual(['rx-56', 'rx-84']);
    const phq9 = v.scores.find((t) => t.instrument === 'phq9');
    expect(phq9?.points.map((p) => p.total)).toEqual([19, 12, 3]);
    expect(phq9?.points.some((p) => p.thisSession)).toBe(false);
    expect(phq9?.points[0]?.baseline).toBe(true);
    expect(v.signals).toEqual([]);
    expect(v.plan?.sessionId).toBe('es-05');
    expect(v.careTeam.prescribers.length).toBeGreaterThan(0);
    expect(v.period?.start).toBe(v.sessions[0]?.dose.start);
  });

  test('held-dose-bp: the held dose with its reason and its highest BP; the given one with its lowest SpO2', () => {
    const v = episodeSummaryView(exampleBundle('held-dose-bp'), 'c1');
    const [held, given] = v.sessions;
    expect(held).toMatchObject({ sessionId: 'h-02', dose: { status: 'held', statusReason: 'Blood pressure high', mgPerKg: 0.5 }, highestBp: { systolic: 174, diastolic: 106 } });
    expect(given).toMatchObject({ sessionId: 'h-03', dose: { status: 'given', mg: 35.5 }, lowestSpo2: 97 });
  });

  test('urgent-signals: every signal of the episode with its state and session', () => {
    const v = episodeSummaryView(exampleBundle('urgent-signals'), 'c1');
    expect(v.signals.map((s) => [s.rule, s.severity, s.status, s.notified, s.sessionId])).toEqual([
      ['phq9-item9-positive', 'urgent', 'final', true, 'u-02'],
      ['bp-predose-high', 'urgent', 'final', true, 'u-02'],
      ['dose-above-prescription', 'urgent', 'final', true, 'u-02'],
    ]);
    expect(v.sessions[0]?.signals).toBe(3);
  });

  test('doseRow: lowest SpO2 from the dose on (pre-dose left out), highest BP by systolic then diastolic', () => {
    const view = fixtureSessionView();
    const row = doseRow({
      ...view,
      vitals: [
        ...view.vitals,
        { id: 'x', kind: 'oxygen-saturation', time: '2026-08-10T08:59:00-07:00', phase: 'pre-dose', value: 90 },
        { id: 'y', kind: 'blood-pressure', time: '2026-08-10T10:00:00-07:00', phase: 'post-dose', systolic: 136, diastolic: 90 },
      ],
    });
    expect(row).toEqual({ sessionId: 'e-02', dose: view.dose, lowestSpo2: 97, highestBp: { systolic: 136, diastolic: 90 }, signals: 0 });
  });

  test('an episode without a dosing session: NoDosingSessionError', () => {
    const bundle = exampleBundle('held-dose-bp');
    const none = { ...bundle, entry: (bundle.entry ?? []).filter((e) => e.resource?.resourceType !== 'MedicationAdministration') };
    expect(() => episodeSummaryView(none, 'c1')).toThrow(NoDosingSessionError);
  });

  test('im-ketamine-complications: every C-SSRS result of the episode and the unscored PHQ-9, none "this session"', () => {
    const v = episodeSummaryView(exampleBundle('im-ketamine-complications'), 'c1');
    expect(v.suicideRisk.map((r) => [r.id, r.version, r.risk, r.inconsistent, r.thisSession])).toEqual([
      ['c-qr-2', 'recent', 'none', false, false],
      ['c-qr-4', 'since-last-visit', 'high', true, false],
    ]);
    expect(v.scores.find((t) => t.instrument === 'phq9')?.unscored).toEqual([
      { id: 'c-qr-3', time: '2026-09-08T09:05:00-04:00', status: 'stopped', missing: ['item 9'], thisSession: false },
    ]);
  });
});
