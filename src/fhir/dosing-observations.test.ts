/**
 * The Observations of a dosing session added by issue 13 (docs/design/issue-13-contract.md): sedation (MOAA/S),
 * respiratory depression, discharge readiness with the transport home, and the clinician's plan.
 */
import { describe, expect, test } from '@jest/globals';
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import type { DischargeTransport } from '../kap/discharge.js';
import type { PlanRecommendation } from '../kap/dosing-plan.js';
import { detailedEpisode, dosingInput } from './__test__/detailed-episode.js';
import { find, fullUrlIn, mapInput } from './__test__/mapped.js';

const UCUM = 'http://unitsofmeasure.org';
const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

const bundle = mapInput(detailedEpisode());
const obs = (id: string): Observation => find(bundle, 'Observation', id);
const code = (cc: CodeableConcept | undefined): [string | undefined, string | undefined] => [cc?.coding?.[0].system, cc?.coding?.[0].code];
const ma03 = fullUrlIn(bundle, find(bundle, 'MedicationAdministration', 's-03'));
const enc03 = fullUrlIn(bundle, find(bundle, 'Encounter', 's-03'));

describe('dosing-session Observations', () => {
  test.each([
    ['v-6', 'kap-sedation-score', 'moaas', 'exam'],
    ['s-03-resp-depression', 'kap-respiratory-depression', 'respiratory-depression', 'exam'],
    ['s-03-discharge', 'kap-discharge-readiness', 'discharge-readiness', 'exam'],
    ['s-03-plan', 'kap-dosing-plan', 'dosing-plan', undefined],
  ])('%s: profile %s, kap-observation#%s, category %s, partOf the MA, encounter', (id, profile, obsCode, category) => {
    const o = obs(id);
    expect(o.meta?.profile).toEqual([`${SD}${profile}`]);
    expect(code(o.code)).toEqual([`${KAP_CS}kap-observation`, obsCode]);
    expect(o.category?.map((c) => code(c))).toEqual(category === undefined ? undefined : [[OBS_CATEGORY, category]]);
    expect(o.partOf?.map((r) => r.reference)).toEqual([ma03]);
    expect(o.encounter?.reference).toBe(enc03);
    expect(o.status).toBe('final');
  });

  test('sedation: valueInteger MOAA/S, time, dosing phase', () => {
    const o = obs('v-6');
    expect([o.valueInteger, o.valueQuantity, o.effectiveDateTime]).toEqual([3, undefined, '2026-03-06T09:40:00-05:00']);
    expect(o.extension).toEqual([{ url: `${SD}kap-dosing-phase`, valueCode: 'during-dose' }]);
  });

  test('respiratory depression: valueBoolean observed at its time', () => {
    expect([obs('s-03-resp-depression').valueBoolean, obs('s-03-resp-depression').effectiveDateTime]).toEqual([
      false,
      '2026-03-06T10:00:00-05:00',
    ]);
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-03').respiratoryDepression = { observed: true, time: '2026-03-06T09:50:00-05:00' };
    });
    expect(find(b, 'Observation', 's-03-resp-depression').valueBoolean).toBe(true);
  });

  test.each<[boolean, DischargeTransport, string]>([
    [true, 'responsible-adult', 'Escorted by a responsible adult'],
    [false, 'drove-self', 'Drove self'],
    [true, 'taxi-or-rideshare', 'Taxi or rideshare'],
  ])('discharge readiness: criteria met %s, transport %s', (criteriaMet, transport, display) => {
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-03').discharge = { criteriaMet, readyAt: '2026-03-06T11:10:00-05:00', transport };
    });
    const o = find(b, 'Observation', 's-03-discharge');
    expect([o.valueBoolean, o.effectiveDateTime]).toEqual([criteriaMet, '2026-03-06T11:10:00-05:00']);
    expect(o.component).toEqual([
      {
        code: { coding: [{ system: `${KAP_CS}kap-observation`, code: 'discharge-transport', display: 'Transport home' }] },
        valueCodeableConcept: { coding: [{ system: `${KAP_CS}kap-discharge-transport`, code: transport, display }] },
      },
    ]);
  });

  test('plan with a next dose and a note: value, recommended-dose component, note, performer, time', () => {
    const o = obs('s-03-plan');
    expect(code(o.valueCodeableConcept)).toEqual([`${KAP_CS}kap-dosing-plan`, 'increase']);
    expect(o.component).toEqual([
      {
        code: { coding: [{ system: `${KAP_CS}kap-observation`, code: 'recommended-dose', display: 'Recommended next dose' }] },
        valueQuantity: { value: 0.6, unit: 'mg/kg', system: UCUM, code: 'mg/kg' },
      },
    ]);
    expect(o.note).toEqual([{ text: 'Tolerated well; increase next dose.' }]);
    expect(o.performer?.map((p) => p.reference)).toEqual([fullUrlIn(bundle, find(bundle, 'Practitioner', 'pr-md-1'))]);
    expect(o.effectiveDateTime).toBe('2026-03-06T11:25:00-05:00');
  });

  test.each<[PlanRecommendation, string]>([
    ['hold', 'Hold the next dose'],
    ['stop', 'Stop treatment'],
  ])('plan %s without next dose or note: no component, no note', (recommendation, display) => {
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-03').plan = { recommendation, authorId: 'pr-therapist-1', time: '2026-03-06T11:25:00-05:00' };
    });
    const o = find(b, 'Observation', 's-03-plan');
    expect(o.valueCodeableConcept?.coding?.[0]).toEqual({ system: `${KAP_CS}kap-dosing-plan`, code: recommendation, display });
    expect([o.component, o.note]).toEqual([undefined, undefined]);
  });

  test('a plan in mg: recommended-dose in UCUM mg', () => {
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-07').plan = {
        recommendation: 'decrease',
        nextDose: { unit: 'mg', value: 56 },
        authorId: 'pr-md-1',
        time: '2026-03-12T11:00:00-05:00',
      };
    });
    expect(find(b, 'Observation', 's-07-plan').component?.[0].valueQuantity).toEqual({ value: 56, unit: 'mg', system: UCUM, code: 'mg' });
  });

  test('none of them without their record', () => {
    for (const id of ['s-04-resp-depression', 's-04-discharge', 's-04-plan']) {
      expect(() => obs(id)).toThrow();
    }
  });
});
