import { describe, expect, test } from '@jest/globals';
import type { Bundle, MedicationAdministration, Observation } from '@medplum/fhirtypes';
import { KAP_OBSERVATION } from '../terminology/systems.js';
import { baseEpisode, esketamineEpisode, idsOf, mapped, type EpisodeJson } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';
import type { SafetyOverrides } from './config.js';

/** Signals of an episode as `rule severity trigger-ids…` strings. */
function signals(ep: EpisodeJson, overrides?: SafetyOverrides): string[] {
  const bundle = mapped(ep);
  return describeSignals(bundle, overrides);
}

function describeSignals(bundle: Bundle, overrides?: SafetyOverrides): string[] {
  return detectSignals(bundle, overrides).map((s) => [s.rule, s.severity, ...idsOf(bundle, s.resources)].join(' '));
}

function dosing(ep: EpisodeJson): EpisodeJson {
  return ep.sessions[1];
}

function vital(ep: EpisodeJson, id: string): EpisodeJson {
  return dosing(ep).vitals.find((v: { id: string }) => v.id === id);
}

describe('clean fixtures give no signal', () => {
  test('IV ketamine mg/kg episode', () => {
    expect(signals(baseEpisode())).toEqual([]);
  });
  test('esketamine episode', () => {
    expect(signals(esketamineEpisode())).toEqual([]);
  });
});

describe('PHQ-9 item 9', () => {
  test('item 9 = 1 → phq9-item9-positive urgent, naming the response', () => {
    const ep = baseEpisode();
    ep.questionnaires[0].answers[8] = 1;
    expect(signals(ep)).toEqual(['phq9-item9-positive urgent QuestionnaireResponse/qr-phq']);
  });
  test('near miss: item 9 = 0 with a severe total (phq9-item9-positive)', () => {
    const ep = baseEpisode();
    ep.questionnaires[0].answers = [3, 3, 3, 3, 3, 3, 3, 3, 0];
    expect(signals(ep)).toEqual([]);
  });
  test('an incomplete PHQ-9 (not scored) still fires on item 9', () => {
    const ep = baseEpisode();
    ep.questionnaires[0].answers = [null, null, null, null, null, null, null, null, 2];
    expect(signals(ep)).toEqual(['phq9-item9-positive urgent QuestionnaireResponse/qr-phq']);
  });
});

describe('C-SSRS screener', () => {
  const cssrs = (answers: Record<string, number | null>): string[] => {
    const ep = baseEpisode();
    ep.questionnaires[1].answers = answers;
    return signals(ep);
  };
  test('Q4 (intent) Yes → cssrs-high urgent', () => {
    expect(cssrs({ 'cssrs-1': 1, 'cssrs-2': 1, 'cssrs-3': 0, 'cssrs-4': 1, 'cssrs-5': 0, 'cssrs-6': 0 })).toEqual([
      'cssrs-high urgent QuestionnaireResponse/qr-cssrs',
    ]);
  });
  test('recent behaviour (Q6 + 6b Yes) → cssrs-high; near miss: not recent → cssrs-moderate attention', () => {
    expect(cssrs({ 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 1, 'cssrs-6b': 1 })).toEqual(['cssrs-high urgent QuestionnaireResponse/qr-cssrs']);
    expect(cssrs({ 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 1, 'cssrs-6b': 0 })).toEqual([
      'cssrs-moderate attention QuestionnaireResponse/qr-cssrs',
    ]);
  });
  test('Q3 (method) Yes → cssrs-moderate; Q1 only → cssrs-low; all No → none', () => {
    expect(cssrs({ 'cssrs-1': 1, 'cssrs-2': 1, 'cssrs-3': 1, 'cssrs-4': 0, 'cssrs-5': 0, 'cssrs-6': 0 })).toEqual([
      'cssrs-moderate attention QuestionnaireResponse/qr-cssrs',
    ]);
    expect(cssrs({ 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-6': 0 })).toEqual(['cssrs-low attention QuestionnaireResponse/qr-cssrs']);
    expect(cssrs({ 'cssrs-1': 0, 'cssrs-2': 0, 'cssrs-6': 0 })).toEqual([]);
  });
  test('severity per level is configurable', () => {
    const ep = baseEpisode();
    ep.questionnaires[1].answers = { 'cssrs-1': 1, 'cssrs-2': 0, 'cssrs-6': 0 };
    expect(signals(ep, { cssrsSeverity: { high: 'urgent', moderate: 'urgent', low: 'urgent' } })).toEqual([
      'cssrs-low urgent QuestionnaireResponse/qr-cssrs',
    ]);
  });
});

describe('pre-dose blood pressure', () => {
  test('systolic 160 (at threshold) with the dose given → bp-predose-high urgent, naming the BP and the administration', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 160, diastolic: 90 });
    expect(signals(ep)).toEqual(['bp-predose-high urgent Observation/s-02-bp-pre MedicationAdministration/s-02']);
  });
  test('diastolic 100 alone fires', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 150, diastolic: 100 });
    expect(signals(ep)).toEqual(['bp-predose-high urgent Observation/s-02-bp-pre MedicationAdministration/s-02']);
  });
  test('near miss: 159/99 (bp-predose-high)', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 159, diastolic: 99 });
    expect(signals(ep)).toEqual([]);
  });
  test('near miss: high first reading re-checked below threshold before dosing (bp-predose-high)', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 172, diastolic: 104 });
    dosing(ep).vitals.push({ id: 's-02-bp-pre2', time: '2026-04-03T09:12:00-05:00', phase: 'pre-dose', kind: 'blood-pressure', systolic: 148, diastolic: 92 });
    expect(signals(ep)).toEqual([]);
  });
  test('near miss: dose not given (MedicationAdministration not-done; bp-predose-high)', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 180, diastolic: 110 });
    const bundle = mapped(ep);
    const ma = bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationAdministration')?.resource as MedicationAdministration;
    ma.status = 'not-done';
    expect(describeSignals(bundle)).toEqual([]);
  });
  test('threshold is configurable', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-pre'), { systolic: 142, diastolic: 88 });
    expect(signals(ep, { systolicThreshold: 140, diastolicThreshold: 90 })).toEqual([
      'bp-predose-high urgent Observation/s-02-bp-pre MedicationAdministration/s-02',
    ]);
  });
});

describe('discharge blood pressure', () => {
  test('last post-dose BP 162/90 → bp-discharge-high attention', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-post'), { systolic: 162, diastolic: 90 });
    expect(signals(ep)).toEqual(['bp-discharge-high attention Observation/s-02-bp-post MedicationAdministration/s-02']);
  });
  test('near miss: an earlier high post-dose reading, normal at discharge (bp-discharge-high)', () => {
    const ep = baseEpisode();
    dosing(ep).vitals.push({ id: 's-02-bp-post0', time: '2026-04-03T10:10:00-05:00', phase: 'post-dose', kind: 'blood-pressure', systolic: 165, diastolic: 101 });
    expect(signals(ep)).toEqual([]);
  });
  test('near miss: 159/99 at discharge (bp-discharge-high)', () => {
    const ep = baseEpisode();
    Object.assign(vital(ep, 's-02-bp-post'), { systolic: 159, diastolic: 99 });
    expect(signals(ep)).toEqual([]);
  });
});

describe('SpO2', () => {
  test('91 % → spo2-low urgent', () => {
    const ep = baseEpisode();
    vital(ep, 's-02-sp-mid').value = 91;
    expect(signals(ep)).toEqual(['spo2-low urgent Observation/s-02-sp-mid']);
  });
  test('near miss: 92 % (spo2-low)', () => {
    const ep = baseEpisode();
    vital(ep, 's-02-sp-mid').value = 92;
    expect(signals(ep)).toEqual([]);
  });
});

describe('dose above prescription', () => {
  test('mg/kg above the prescribed mg/kg × recorded weight → dose-above-prescription urgent', () => {
    const ep = baseEpisode();
    dosing(ep).dose.value = 0.55;
    expect(signals(ep)).toEqual([
      'dose-above-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1 Observation/s-02-weight',
    ]);
  });
  test('near miss: exactly the prescribed mg/kg (82.4 kg, rounded mg; dose-above-prescription)', () => {
    expect(signals(baseEpisode())).toEqual([]);
  });
  test('mg prescription: 50.5 mg for 50 mg fires, 50 mg does not, tolerance configurable', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].dose = { unit: 'mg', value: 50 };
    dosing(ep).dose = { unit: 'mg', value: 50.5 };
    expect(signals(ep)).toEqual(['dose-above-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1']);
    expect(signals(ep, { doseToleranceMg: 1 })).toEqual([]);
    dosing(ep).dose = { unit: 'mg', value: 50 };
    expect(signals(ep)).toEqual([]);
  });
});

describe('dose without an active prescription', () => {
  test('an administration with no request (e.g. from an EHR Bundle) → dose-without-prescription urgent', () => {
    const bundle = mapped(baseEpisode());
    const ma = bundle.entry!.map((e) => e.resource!).find((r) => r.resourceType === 'MedicationAdministration') as MedicationAdministration;
    delete ma.request;
    expect(describeSignals(bundle)).toEqual(['dose-without-prescription urgent MedicationAdministration/s-02']);
  });
  test('cancelled or on-hold prescription → urgent; completed does not fire', () => {
    for (const status of ['cancelled', 'on-hold']) {
      const ep = baseEpisode();
      ep.prescriptions[0].status = status;
      expect(signals(ep)).toEqual(['dose-without-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1']);
    }
    const ep = baseEpisode();
    ep.prescriptions[0].status = 'completed';
    expect(signals(ep)).toEqual([]);
  });
  test('dose after the validity end → urgent; near miss: on the last valid day, late evening local time (dose-without-prescription)', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].validity = { start: '2026-03-01', end: '2026-04-02' };
    expect(signals(ep)).toEqual(['dose-without-prescription urgent MedicationAdministration/s-02 MedicationRequest/rx-1']);
    ep.prescriptions[0].validity.end = '2026-04-03';
    Object.assign(dosing(ep), {
      start: '2026-04-03T21:00:00-05:00',
      doseStart: '2026-04-03T21:15:00-05:00',
      doseEnd: '2026-04-03T21:55:00-05:00',
      end: '2026-04-03T23:30:00-05:00',
      dischargedAt: '2026-04-03T23:30:00-05:00',
    });
    dosing(ep).discharge.readyAt = '2026-04-03T23:20:00-05:00';
    dosing(ep).medicationReview.reviewedAt = '2026-04-03T21:02:00-05:00';
    for (const v of dosing(ep).vitals) {
      v.time = v.time.replace('T09:', 'T21:').replace('T11:', 'T23:');
    }
    expect(signals(ep)).toEqual([]);
  });
});

describe('route', () => {
  test('IM given for an IV prescription → route-mismatch urgent', () => {
    const ep = baseEpisode();
    dosing(ep).route = 'im';
    expect(signals(ep)).toEqual(['route-mismatch urgent MedicationAdministration/s-02 MedicationRequest/rx-1']);
  });
  test('near miss: same route (route-mismatch)', () => {
    const ep = baseEpisode();
    ep.prescriptions[0].route = 'im';
    dosing(ep).route = 'im';
    expect(signals(ep)).toEqual([]);
  });
});

describe('side effects', () => {
  test('severe → side-effect-severe urgent, moderate → side-effect-moderate attention, mild → none', () => {
    const ep = baseEpisode();
    dosing(ep).sideEffects = [
      { id: 'se-a', effect: 'vomiting', severity: 'severe' },
      { id: 'se-b', effect: 'anxiety', severity: 'moderate' },
      { id: 'se-c', effect: 'dizziness', severity: 'mild' },
    ];
    expect(signals(ep)).toEqual(['side-effect-severe urgent AdverseEvent/se-a', 'side-effect-moderate attention AdverseEvent/se-b']);
  });
});

describe('esketamine (Spravato REMS)', () => {
  test('discharge 1 h 59 after the dose → esketamine-early-discharge attention', () => {
    const ep = esketamineEpisode();
    dosing(ep).dischargedAt = '2026-04-03T11:14:00-05:00';
    vital(ep, 's-02-bp-2h').time = '2026-04-03T11:05:00-05:00';
    expect(signals(ep)).toEqual(['esketamine-early-discharge attention MedicationAdministration/s-02 Encounter/s-02']);
  });
  test('near miss: discharge exactly 2 h after (esketamine-early-discharge)', () => {
    const ep = esketamineEpisode();
    dosing(ep).dischargedAt = '2026-04-03T11:15:00-05:00';
    expect(signals(ep)).toEqual([]);
  });
  test('near miss: a dose from 09:15 to 09:25, discharge 2 h after its start, 1 h 50 after its end (esketamine-early-discharge measures from the dose start)', () => {
    const ep = esketamineEpisode();
    dosing(ep).doseEnd = '2026-04-03T09:25:00-05:00';
    dosing(ep).dischargedAt = '2026-04-03T11:15:00-05:00';
    expect(signals(ep)).toEqual([]);
  });
  test('early discharge only applies to esketamine (racemic ketamine discharged at 1 h: no signal)', () => {
    const ep = baseEpisode();
    dosing(ep).dischargedAt = '2026-04-03T10:55:00-05:00';
    dosing(ep).vitals = dosing(ep).vitals.filter((v: { id: string }) => v.id !== 's-02-bp-post');
    expect(signals(ep)).toEqual([]);
  });
  test('no BP before the dose → attention', () => {
    const ep = esketamineEpisode();
    dosing(ep).vitals = dosing(ep).vitals.filter((v: { id: string }) => v.id !== 's-02-bp-pre');
    expect(signals(ep)).toEqual([
      'esketamine-bp-missing attention MedicationAdministration/s-02',
      'rems-form-incomplete attention MedicationAdministration/s-02',
    ]);
  });
  test('only a BP 20 min after the dose → attention; near miss: 30 min after counts', () => {
    const ep = esketamineEpisode();
    dosing(ep).vitals = dosing(ep).vitals.filter((v: { id: string }) => v.id !== 's-02-bp-40');
    dosing(ep).vitals.push({ id: 's-02-bp-20', time: '2026-04-03T09:35:00-05:00', phase: 'post-dose', kind: 'blood-pressure', systolic: 130, diastolic: 80 });
    expect(signals(ep)).toEqual([
      'esketamine-bp-missing attention MedicationAdministration/s-02',
      'rems-form-incomplete attention MedicationAdministration/s-02',
    ]);
    vital(ep, 's-02-bp-20').time = '2026-04-03T09:45:00-05:00';
    expect(signals(ep)).toEqual([]);
  });
});

describe('MOAA/S', () => {
  function withMoaas(value: number): Bundle {
    const bundle = mapped(baseEpisode());
    const obs: Observation = {
      resourceType: 'Observation',
      identifier: [{ system: 'https://kap-fhir.org/fhir/clinic/test-clinic', value: 's-02-moaas' }],
      status: 'final',
      code: { coding: [{ system: KAP_OBSERVATION, code: 'moaas', display: 'MOAA/S score' }] },
      effectiveDateTime: '2026-04-03T09:45:00-05:00',
      valueInteger: value,
    };
    bundle.entry?.push({ fullUrl: 'urn:uuid:5a0c5c5e-0000-5000-8000-000000000001', resource: obs });
    return bundle;
  }
  test('MOAA/S 0 → moaas-zero urgent', () => {
    expect(describeSignals(withMoaas(0))).toEqual(['moaas-zero urgent Observation/s-02-moaas']);
  });
  test('near miss: MOAA/S 1 (moaas-zero)', () => {
    expect(describeSignals(withMoaas(1))).toEqual([]);
  });
});

describe('detection is pure and ordered', () => {
  test('several rules at once come in rule order; the same Bundle gives the same signals', () => {
    const ep = baseEpisode();
    ep.questionnaires[0].answers[8] = 2;
    vital(ep, 's-02-sp-mid').value = 88;
    dosing(ep).route = 'im';
    const bundle = mapped(ep);
    const first = detectSignals(bundle);
    expect(first.map((s) => s.rule)).toEqual(['phq9-item9-positive', 'spo2-low', 'route-mismatch']);
    expect(detectSignals(structuredClone(bundle))).toEqual(first);
  });
});
