import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { exampleBundle, fixtureBundle, fixtureMaUrl, fixtureSessionView, maFullUrlOf } from './__test__/session-view-fixture.js';
import { sessionView, SessionNotFoundError } from './read-session-view.js';
import type { SessionView, VitalPoint } from './session-view.js';

/** The clinic JSON of an example (to compare the view's figures with what the clinic sent). */
function clinicJson(name: string): {
  sessions: { id: string; kind: string; dose?: { value: number; unit: string }; vitals?: Record<string, unknown>[]; doseStatus?: string }[];
  questionnaires?: { id: string; instrument: string }[];
} {
  return JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));
}

function viewOf(name: string, sessionId: string): SessionView {
  const bundle = exampleBundle(name);
  return sessionView(bundle, maFullUrlOf(bundle, sessionId));
}

/** The vitals of the clinic JSON as the view writes them (moaas → value). */
function clinicVitals(name: string, sessionId: string): Partial<VitalPoint>[] {
  const session = clinicJson(name).sessions.find((s) => s.id === sessionId);
  return (session?.vitals ?? []).map((v) => ({
    id: v.id as string,
    kind: v.kind as VitalPoint['kind'],
    time: v.time as string,
    ...(v.systolic !== undefined ? { systolic: v.systolic as number, diastolic: v.diastolic as number } : {}),
    ...(v.value !== undefined ? { value: v.value as number } : {}),
    ...(v.moaas !== undefined ? { value: v.moaas as number } : {}),
  }));
}

const sortById = <T extends { id?: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));

describe('sessionView', () => {
  test('the shared fixture is what the mapped esketamine-self-administered example reads as', () => {
    expect(sessionView(fixtureBundle(), fixtureMaUrl())).toEqual(fixtureSessionView());
  });

  test('an unknown MedicationAdministration is refused without PHI in the message', () => {
    expect(() => sessionView(fixtureBundle(), 'urn:uuid:00000000-0000-0000-0000-000000000000')).toThrow(SessionNotFoundError);
  });

  test('clinic overrides move the thresholds', () => {
    const view = sessionView(fixtureBundle(), fixtureMaUrl(), { systolicThreshold: 150, spo2Below: 92 });
    expect(view.thresholds.systolic).toBe(150);
    expect(view.thresholds.spo2Below).toBe(92);
  });

  test.each([
    ['esketamine-mdd', 'es-02'],
    ['iv-ketamine-trd', 's-03'],
    ['held-dose-bp', 'h-02'],
    ['sublingual-lozenge-ptsd', 'lz-05'],
    ['urgent-signals', 'u-02'],
  ])('%s %s: every vital of the clinic JSON, with its figures', (name, sessionId) => {
    const session = clinicJson(name).sessions.find((s) => s.id === sessionId);
    if (!session) {
      return; // the session id list above is checked by the next test
    }
    const view = viewOf(name, sessionId);
    expect(sortById(view.vitals).map(({ phase: _phase, ...v }) => v)).toEqual(sortById(clinicVitals(name, sessionId)));
  });

  test('the sessions named above exist (so the vitals test cannot pass vacuously)', () => {
    for (const [name, id] of [
      ['esketamine-mdd', 'es-02'],
      ['iv-ketamine-trd', 's-03'],
      ['held-dose-bp', 'h-02'],
      ['sublingual-lozenge-ptsd', 'lz-05'],
      ['urgent-signals', 'u-02'],
    ]) {
      expect(clinicJson(name).sessions.some((s) => s.id === id && s.kind === 'dosing')).toBe(true);
    }
  });

  test('iv-ketamine-trd s-03: weight-based dose in mg and mg/kg, body weight, IV route, lot', () => {
    const v = viewOf('iv-ketamine-trd', 's-03');
    expect(v.dose).toMatchObject({
      product: 'ketamine',
      esketamine: false,
      route: 'Intravenous route',
      mg: 41.2,
      mgPerKg: 0.5,
      bodyWeightKg: 82.4,
      lot: 'KX2291',
      status: 'given',
      start: '2026-04-13T09:20:00-04:00',
      end: '2026-04-13T10:00:00-04:00',
      selfAdministered: false,
    });
    expect(v.careTeam.administeredBy).toBeDefined();
    expect(v.careTeam.monitoredBy.length).toBeGreaterThan(0);
  });

  test('held-dose-bp h-02: the held dose, its reason, and the pre-dose BP that held it', () => {
    const v = viewOf('held-dose-bp', 'h-02');
    expect(v.dose.status).toBe('held');
    expect(v.dose.statusReason).toBe('Blood pressure high');
    const pre = v.vitals.find((p) => p.kind === 'blood-pressure' && p.phase === 'pre-dose');
    expect(pre?.systolic).toBeGreaterThanOrEqual(v.thresholds.systolic);
  });

  test('urgent-signals u-02: its signals, urgent, with the published display and detail', () => {
    const v = viewOf('urgent-signals', 'u-02');
    expect(v.signals.map((s) => `${s.rule} ${s.severity}`)).toEqual([
      'phq9-item9-positive urgent',
      'bp-predose-high urgent',
      'dose-above-prescription urgent',
    ]);
    expect(v.signals[1]).toEqual({
      rule: 'bp-predose-high',
      display: 'Pre-dose blood pressure high',
      severity: 'urgent',
      detail: 'Pre-dose blood pressure at or above the dosing threshold, and the dose was given.',
    });
  });

  test.each(['esketamine-mdd', 'iv-ketamine-trd', 'held-dose-bp', 'sublingual-lozenge-ptsd', 'urgent-signals', 'screening-precautions'])(
    '%s: each signal of the episode shows in one session at most, and an episode with signals shows them',
    (name) => {
      const bundle = exampleBundle(name);
      const doses = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'MedicationAdministration').map((e) => e.fullUrl ?? '');
      const shown = doses.flatMap((url) => sessionView(bundle, url).signals.map((x) => `${x.rule}|${x.detail}`));
      const issues = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'DetectedIssue').length;
      expect(shown.length).toBeLessThanOrEqual(issues);
      expect(shown.length > 0).toBe(issues > 0);
    }
  );

  test('sublingual-lozenge-ptsd lz-05: the score trajectories, baseline, change and the session window', () => {
    const v = viewOf('sublingual-lozenge-ptsd', 'lz-05');
    const json = clinicJson('sublingual-lozenge-ptsd');
    const instruments = v.scores.map((s) => s.instrument);
    const expected = [...new Set((json.questionnaires ?? []).map((q) => q.instrument))].filter((i) => ['phq9', 'gad7', 'pcl5'].includes(i));
    expect(instruments.sort()).toEqual(expected.sort());
    for (const t of v.scores) {
      expect(t.points.filter((p) => p.baseline)).toHaveLength(1);
      expect(t.points[0].baseline).toBe(true);
      const ids = (json.questionnaires ?? []).filter((q) => q.instrument === t.instrument).map((q) => q.id);
      expect(t.points.map((p) => p.id).sort()).toEqual(ids.sort());
      expect(t.points.slice(1).every((p) => p.percentChange !== undefined && p.response !== undefined)).toBe(true);
    }
    const pcl = v.scores.find((s) => s.instrument === 'pcl5');
    expect(pcl?.bands).toEqual([]);
    expect(pcl?.points.at(-1)).toMatchObject({ percentChange: 56.6, response: true });
    expect(pcl?.points.at(-1)?.remission).toBeUndefined();
    const gad = v.scores.find((s) => s.instrument === 'gad7');
    expect(gad?.points.at(-1)).toMatchObject({ percentChange: 64.3, response: true, remission: false });
    expect(gad?.bands[0]).toEqual([0, 4, 'Minimal']);
    expect(v.dissociation).toEqual({ score: 6, time: '2026-06-15T10:55:00-07:00' });
  });

  test('thisSession follows the window rule: each score belongs to exactly one dosing session', () => {
    const bundle = exampleBundle('sublingual-lozenge-ptsd');
    const doses = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'MedicationAdministration').map((e) => e.fullUrl ?? '');
    const owners = new Map<string, number>();
    for (const url of doses) {
      for (const t of sessionView(bundle, url).scores) {
        for (const p of t.points.filter((x) => x.thisSession)) {
          owners.set(p.id, (owners.get(p.id) ?? 0) + 1);
        }
      }
    }
    const all = sessionView(bundle, doses[0]).scores.flatMap((t) => t.points.map((p) => p.id));
    expect(all.length).toBeGreaterThan(2);
    expect(all.map((id) => owners.get(id))).toEqual(all.map(() => 1));
  });

  test('esketamine-mdd: the esketamine product, device count, and the dose of the clinic JSON', () => {
    const json = clinicJson('esketamine-mdd');
    const session = json.sessions.find((s) => s.kind === 'dosing' && s.dose !== undefined);
    const bundle = exampleBundle('esketamine-mdd');
    const v = sessionView(bundle, maFullUrlOf(bundle, session?.id ?? ''));
    expect(v.dose.esketamine).toBe(true);
    expect(v.dose.mg).toBe(session?.dose?.value);
    expect(v.dose.route).toBe('Nasal route');
  });

  describe('im-ketamine-complications (read from the Bundle, not the clinic JSON)', () => {
    const bundle = exampleBundle('im-ketamine-complications');
    const at = (sessionId: string): SessionView => sessionView(bundle, maFullUrlOf(bundle, sessionId));

    test('the PHQ-9 c-qr-3 with item 9 blank (stopped, no total) is an unscored row of its instrument, no point', () => {
      const qr = (bundle.entry ?? []).map((e) => e.resource).find((r) => r?.resourceType === 'QuestionnaireResponse' && r.identifier?.value === 'ep-7350/c-qr-3');
      expect(qr).toMatchObject({ status: 'stopped', questionnaire: 'https://kap-fhir.org/fhir/Questionnaire/phq9' });
      const phq9 = at('c-02').scores.find((t) => t.instrument === 'phq9');
      expect(phq9?.points.map((p) => p.id)).toEqual(['c-qr-1']);
      expect(phq9?.unscored).toEqual([{ id: 'c-qr-3', time: '2026-09-08T09:05:00-04:00', status: 'stopped', missing: ['item 9'], thisSession: true }]);
      // a later session: the same row, not its own
      expect(at('c-04').scores.find((t) => t.instrument === 'phq9')?.unscored.map((u) => [u.id, u.thisSession])).toEqual([['c-qr-3', false]]);
    });

    test('C-SSRS: the results of the session window and the ones before, with version, risk and the inconsistent flag', () => {
      const recent = { id: 'c-qr-2', time: '2026-09-01T09:10:00-04:00', version: 'recent', risk: 'none', riskDisplay: 'None', inconsistent: false };
      const slv = { id: 'c-qr-4', time: '2026-09-11T09:10:00-04:00', version: 'since-last-visit', risk: 'high', riskDisplay: 'High', inconsistent: true };
      // c-02 is the first dosing session: its window opens at the episode's start (the assessment's screener)
      expect(at('c-02').suicideRisk).toEqual([{ ...recent, thisSession: true }]);
      expect(at('c-03').suicideRisk).toEqual([
        { ...recent, thisSession: false },
        { ...slv, thisSession: true },
      ]);
      expect(at('c-04').suicideRisk).toEqual([
        { ...recent, thisSession: false },
        { ...slv, thisSession: false },
      ]);
    });

    test('the screening of the session (present / none known) and its medication review', () => {
      expect(at('c-04').screening).toEqual({ screenedAt: '2026-09-15T09:05:00-04:00', noneKnown: false, findings: [{ item: 'Pregnancy', result: 'present' }] });
      expect(at('c-02').screening).toBeUndefined();
      expect(at('c-02').medications?.items).toEqual([{ class: 'Other medication', name: 'Sertraline 100 mg daily' }]);
    });

    test('a side effect: the event text before the coding display', () => {
      expect(at('c-02').sideEffects).toEqual([
        { effect: 'Drowsy', severity: 'Severe', serious: true, outcome: 'Resolved', onset: '2026-09-08T09:32:00-04:00' },
      ]);
      const copy = structuredClone(bundle);
      const ae = copy.entry?.find((e) => e.resource?.resourceType === 'AdverseEvent')?.resource as { event?: { text?: string } };
      ae.event = { ...ae.event, text: 'Deep sedation' };
      expect(sessionView(copy, maFullUrlOf(copy, 'c-02')).sideEffects[0]?.effect).toBe('Deep sedation');
    });
  });

  test('sublingual-lozenge-ptsd: the strength per lozenge (troche), from the contained Medication', () => {
    expect(viewOf('sublingual-lozenge-ptsd', 'lz-03').dose.strength).toBe('50 mg per lozenge (troche)');
    expect(viewOf('im-ketamine-complications', 'c-02').dose.strength).toBe('50 mg per mL');
  });
});
