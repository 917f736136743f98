import { describe, expect, test } from '@jest/globals';
import type { Bundle, QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from '@medplum/fhirtypes';
import { OperationOutcomeError } from '../outcomes.js';
import { describeSignals, type EpisodeJson } from '../safety/__test__/episode-fixture.js';
import { detectSignals } from '../safety/detect-signals.js';
import { Validator } from '../validation/index.js';
import { doseFullUrl, exampleBundle } from './__test__/rems-fixture.js';
import { remsMonitoringResponse } from './rems-response.js';

/** The answers of one linkId anywhere in the response. */
function answersOf(qr: QuestionnaireResponse, linkId: string): QuestionnaireResponseItemAnswer[] | undefined {
  const walk = (items: QuestionnaireResponseItem[] | undefined): QuestionnaireResponseItemAnswer[] | undefined => {
    for (const item of items ?? []) {
      if (item.linkId === linkId) {
        return item.answer ?? [];
      }
      const inner = walk(item.item);
      if (inner) {
        return inner;
      }
    }
    return undefined;
  };
  return walk(qr.item);
}

function session(ep: EpisodeJson, id: string): EpisodeJson {
  return ep.sessions.find((s: { id: string }) => s.id === id);
}

function withoutVital(ep: EpisodeJson, sessionId: string, vitalId: string): void {
  const s = session(ep, sessionId);
  s.vitals = s.vitals.filter((v: { id: string }) => v.id !== vitalId);
}

const validator = new Validator();

/** Error issues of the QR validated inside its episode Bundle (references resolve, target profiles checked). */
function validationErrors(bundle: Bundle, qr: QuestionnaireResponse): string[] {
  const all: Bundle = {
    ...bundle,
    entry: [...(bundle.entry ?? []), { fullUrl: 'urn:uuid:7e3b1c52-0000-5000-8000-00000000aa01', resource: qr, request: { method: 'PUT', url: 'QuestionnaireResponse' } }],
  };
  const at = `Bundle.entry[${(bundle.entry ?? []).length}]`;
  return (validator.validate(all).issue ?? [])
    .filter((i) => (i.severity === 'error' || i.severity === 'fatal') && (i.expression ?? []).some((e) => e.startsWith(at)))
    .map((i) => `${i.code} ${(i.expression ?? []).join(',')}`);
}

describe('remsMonitoringResponse: the Spravato REMS record of an esketamine session', () => {
  const bundle = exampleBundle('esketamine-self-administered');
  const ma = doseFullUrl(bundle, 'e-02');

  test('esketamine-self-administered: complete, every field read from the mapped resources', () => {
    const { response, missing } = remsMonitoringResponse(bundle, ma);
    expect(missing).toEqual([]);
    expect(response.status).toBe('completed');
    expect(response.questionnaire).toBe('https://kap-fhir.org/fhir/Questionnaire/spravato-rems-monitoring|1.0.0');
    expect(response.identifier).toEqual({ system: 'https://kap-fhir.org/fhir/clinic/mesa-behavioral', value: 'ep-5230/e-02-rems' });
    const value = (linkId: string): unknown => {
      const a = answersOf(response, linkId)?.[0];
      return a ? Object.entries(a).find(([k]) => k.startsWith('value'))?.[1] : undefined;
    };
    expect({
      setting: value('healthcare-setting'),
      date: value('session-date'),
      dose: value('dose-mg'),
      devices: value('device-count'),
      lot: value('lot-number'),
      benzodiazepine: value('med-benzodiazepine'),
      hypnotic: value('med-non-benzodiazepine-sedative-hypnotic'),
      stimulant: value('med-psychostimulant'),
      maoi: value('med-maoi'),
      pre: [value('bp-pre-dose-systolic'), value('bp-pre-dose-diastolic'), value('bp-pre-dose-time')],
      at40: [value('bp-post-40-systolic'), value('bp-post-40-diastolic'), value('bp-post-40-time')],
      discharge: [value('bp-pre-discharge-systolic'), value('bp-pre-discharge-diastolic'), value('bp-pre-discharge-time')],
      sedation: value('sedation-observed'),
      moaas: value('moaas-lowest'),
      dissociation: value('dissociation-observed'),
      cadss6: value('cadss6-total'),
      respiratoryDepression: value('respiratory-depression'),
      spo2: value('spo2-lowest'),
      minutes: value('monitoring-minutes'),
      ready: value('ready-to-leave'),
      discharged: value('discharge-time'),
      adverse: value('adverse-events-observed'),
      events: answersOf(response, 'adverse-event'),
    }).toEqual({
      setting: 'Mesa Behavioral Health',
      date: '2026-08-10',
      dose: 56,
      devices: 2,
      lot: 'ESK-2026-0815',
      benzodiazepine: false,
      hypnotic: false,
      stimulant: false,
      maoi: false,
      pre: [124, 78, '2026-08-10T09:00:00-07:00'],
      at40: [136, 86, '2026-08-10T09:50:00-07:00'],
      discharge: [126, 80, '2026-08-10T11:05:00-07:00'],
      sedation: true, // MOAA/S 4 at 40 min
      moaas: 4,
      dissociation: true, // the recorded mild dissociation
      cadss6: undefined, // no CADSS-6 taken: optional, not missing
      respiratoryDepression: false,
      spo2: 97,
      minutes: 130, // 09:10 → 11:20
      ready: '2026-08-10T11:10:00-07:00',
      discharged: '2026-08-10T11:20:00-07:00',
      adverse: true,
      events: [{ valueString: 'Dissociation (mild)' }],
    });
  });

  test('the ~40-minute BP removed: the record names that field, is in progress, and the signal fires', () => {
    const edited = exampleBundle('esketamine-self-administered', (ep) => withoutVital(ep, 'e-02', 'e-02-bp-40'));
    const { response, missing, missingItems } = remsMonitoringResponse(edited, doseFullUrl(edited, 'e-02'));
    expect(missing).toEqual(['bp-post-40: Blood pressure about 40 minutes after the dose']);
    expect(missingItems).toEqual([{ linkId: 'bp-post-40', text: 'Blood pressure about 40 minutes after the dose' }]);
    expect(response.status).toBe('in-progress');
    expect(answersOf(response, 'bp-post-40-systolic')).toBeUndefined();
    // the discharge BP stays the discharge BP (it is not moved into the 40-minute field)
    expect(answersOf(response, 'bp-pre-discharge-systolic')).toEqual([{ valueInteger: 126 }]);
    expect(describeSignals(edited, detectSignals(edited)).filter((s) => s.startsWith('rems-'))).toEqual([
      'rems-form-incomplete attention MedicationAdministration/e-02',
    ]);
  });

  test('esketamine-mdd: complete (MOAA/S and respiratory depression at 40 min); the CADSS-6 total fills dissociation', () => {
    const mdd = exampleBundle('esketamine-mdd');
    const { response, missing } = remsMonitoringResponse(mdd, doseFullUrl(mdd, 'es-02'));
    expect(missing).toEqual([]);
    expect(response.status).toBe('completed');
    expect(answersOf(response, 'cadss6-total')).toEqual([{ valueInteger: 10 }]);
    expect(answersOf(response, 'dissociation-observed')).toEqual([{ valueBoolean: true }]);
    expect(answersOf(response, 'dose-mg')).toEqual([{ valueInteger: 56 }]);
    expect(answersOf(remsMonitoringResponse(mdd, doseFullUrl(mdd, 'es-03')).response, 'dose-mg')).toEqual([{ valueInteger: 84 }]);
  });

  test('esketamine-mdd without its sedation and respiratory-depression records: both fields named', () => {
    const edited = exampleBundle('esketamine-mdd', (ep) => {
      const s = session(ep, 'es-02');
      delete s.respiratoryDepression;
      s.vitals = s.vitals.filter((v: { kind: string }) => v.kind !== 'sedation');
    });
    expect(remsMonitoringResponse(edited, doseFullUrl(edited, 'es-02')).missing).toEqual([
      'sedation-observed: Sedation observed',
      'respiratory-depression: Respiratory depression observed',
    ]);
  });

  test('no medication review at or before the dose: the medication section is named once', () => {
    const edited = exampleBundle('esketamine-self-administered', (ep) => {
      delete session(ep, 'e-01').medicationReview;
      delete session(ep, 'e-02').medicationReview;
    });
    expect(remsMonitoringResponse(edited, doseFullUrl(edited, 'e-02')).missing).toEqual([
      'concomitant-medications: Medications the patient takes at the time of the session',
    ]);
  });

  test('a benzodiazepine and an MAOI in the review answer yes; a stopped psychostimulant answers no', () => {
    const edited = exampleBundle('esketamine-self-administered', (ep) => {
      session(ep, 'e-02').medicationReview.medications = [
        { id: 'm-2', class: 'benzodiazepine' },
        { id: 'm-3', class: 'maoi' },
        { id: 'm-4', class: 'psychostimulant', status: 'stopped' },
      ];
    });
    const { response } = remsMonitoringResponse(edited, doseFullUrl(edited, 'e-02'));
    expect(['med-benzodiazepine', 'med-non-benzodiazepine-sedative-hypnotic', 'med-psychostimulant', 'med-maoi'].map((l) => answersOf(response, l))).toEqual([
      [{ valueBoolean: true }],
      [{ valueBoolean: false }],
      [{ valueBoolean: false }],
      [{ valueBoolean: true }],
    ]);
  });

  test('no discharge time, no readiness: the monitoring section is named once; MOAA/S 5 only → no sedation', () => {
    const edited = exampleBundle('esketamine-self-administered', (ep) => {
      const s = session(ep, 'e-02');
      delete s.dischargedAt;
      delete s.discharge;
      s.vitals.find((v: { id: string }) => v.id === 'e-02-moaas-40').moaas = 5;
    });
    const { response, missing } = remsMonitoringResponse(edited, doseFullUrl(edited, 'e-02'));
    expect(missing).toEqual(['monitoring: Monitoring and discharge']);
    expect(answersOf(response, 'sedation-observed')).toEqual([{ valueBoolean: false }]);
  });

  test('racemic ketamine: no REMS record, and never the signal', () => {
    const iv = exampleBundle('iv-ketamine-trd');
    expect(() => remsMonitoringResponse(iv, doseFullUrl(iv, 's-03'))).toThrow(OperationOutcomeError);
    for (const name of ['iv-ketamine-trd', 'sublingual-lozenge-ptsd', 'urgent-signals', 'held-dose-bp', 'screening-precautions', 'im-ketamine-complications']) {
      const b = exampleBundle(name);
      expect(detectSignals(b).filter((s) => s.rule === 'rems-form-incomplete')).toEqual([]);
    }
    expect(() => remsMonitoringResponse(iv, 'urn:uuid:00000000-0000-5000-8000-000000000000')).toThrow(OperationOutcomeError);
  });

  test('a held esketamine dose fires no REMS signal', () => {
    const held = exampleBundle('esketamine-self-administered', (ep) => {
      const s = session(ep, 'e-02');
      s.doseStatus = 'held';
      s.doseStatusReason = 'blood-pressure-high';
      s.vitals = s.vitals.filter((v: { phase: string }) => v.phase === 'pre-dose');
    });
    expect(detectSignals(held).filter((s) => s.rule === 'rems-form-incomplete')).toEqual([]);
  });

  test('deterministic: the same Bundle gives the same record', () => {
    expect(remsMonitoringResponse(bundle, ma)).toEqual(remsMonitoringResponse(bundle, ma));
  });

  test('validates against kap-rems-monitoring-response and the Questionnaire (complete and in progress)', () => {
    expect(validationErrors(bundle, remsMonitoringResponse(bundle, ma).response)).toEqual([]);
    const edited = exampleBundle('esketamine-self-administered', (ep) => withoutVital(ep, 'e-02', 'e-02-bp-40'));
    const partial = remsMonitoringResponse(edited, doseFullUrl(edited, 'e-02')).response;
    expect(validationErrors(edited, partial)).toEqual([]);
    // the check can fail: the same record claimed complete misses a required item
    const at = `Bundle.entry[${(edited.entry ?? []).length}]`;
    expect(validationErrors(edited, { ...partial, status: 'completed' })).toEqual([
      `required ${at}.resource.item.where(linkId = 'bp-post-40')`,
    ]);
  });
});
