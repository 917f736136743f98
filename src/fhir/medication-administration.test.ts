/**
 * MedicationAdministration of issue 13 (docs/design/issue-13-contract.md): dose status and reason, the contained
 * Medication of racemic ketamine, self-administration, device count and the IV infusion rate.
 */
import { describe, expect, test } from '@jest/globals';
import type { Bundle, Medication, MedicationAdministration } from '@medplum/fhirtypes';
import type { DoseStatus, DoseStatusReason } from '../kap/dosing-session.js';
import { detailedEpisode, dosingInput } from './__test__/detailed-episode.js';
import { find, fullUrlIn, mapInput } from './__test__/mapped.js';

const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';
const FUNCTION = 'http://terminology.hl7.org/CodeSystem/med-admin-perform-function';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';

const bundle = mapInput(detailedEpisode());
const ma = (b: Bundle, id: string): MedicationAdministration => find(b, 'MedicationAdministration', id);
const med = (m: MedicationAdministration): Medication | undefined =>
  m.contained?.find((c): c is Medication => c.resourceType === 'Medication' && c.id === 'med');

describe('MedicationAdministration status', () => {
  test.each<[DoseStatus, DoseStatusReason | undefined, MedicationAdministration['status'], string | undefined]>([
    ['given', undefined, 'completed', undefined],
    ['held', 'blood-pressure-high', 'not-done', 'blood-pressure-high'],
    ['refused', 'patient-refused', 'not-done', 'patient-refused'],
    ['partial', 'adverse-reaction', 'stopped', 'adverse-reaction'],
  ])('%s (%s) → %s with statusReason %s', (doseStatus, reason, status, code) => {
    const b = mapInput(detailedEpisode(), (ep) => {
      const s = dosingInput(ep, 's-04');
      s.doseStatus = doseStatus;
      s.doseStatusReason = reason;
    });
    const m = ma(b, 's-04');
    expect(m.status).toBe(status);
    expect(m.statusReason?.[0].coding?.[0]).toEqual(
      code === undefined ? undefined : expect.objectContaining({ system: `${KAP_CS}kap-dose-status-reason`, code })
    );
    expect(m.statusReason?.[0].coding?.[0].display).toBe(
      { 'blood-pressure-high': 'Blood pressure high', 'patient-refused': 'Patient refused', 'adverse-reaction': 'Adverse reaction' }[
        code ?? ''
      ]
    );
  });

  test('a dose not done still carries the planned dose', () => {
    const b = mapInput(detailedEpisode(), (ep) => {
      const s = dosingInput(ep, 's-03');
      s.doseStatus = 'held';
      s.doseStatusReason = 'acute-illness';
    });
    expect([ma(b, 's-03').status, ma(b, 's-03').dosage?.dose]).toEqual([
      'not-done',
      { value: 41.2, unit: 'mg', system: UCUM, code: 'mg' },
    ]);
  });
});

describe('MedicationAdministration product', () => {
  test('racemic ketamine: medicationReference #med to a contained Medication, even without form or strength', () => {
    const m = ma(bundle, 's-04');
    expect(m.medicationCodeableConcept).toBeUndefined();
    expect(m.medicationReference).toEqual({ reference: '#med' });
    expect(m.contained).toEqual([
      {
        resourceType: 'Medication',
        id: 'med',
        meta: { profile: [`${SD}kap-compounded-ketamine`] },
        code: { coding: [{ system: RXNORM, code: '6130', display: 'ketamine' }] },
      },
    ]);
  });

  test('lozenge: contained Medication with kap-dose-form and a strength per unit', () => {
    const m = med(ma(bundle, 's-08'));
    expect(m?.form).toEqual({
      coding: [{ system: `${KAP_CS}kap-dose-form`, code: 'lozenge', display: 'Lozenge (troche)' }],
      text: 'Lozenge (troche)',
    });
    expect(m?.ingredient).toEqual([
      {
        itemCodeableConcept: { coding: [{ system: RXNORM, code: '6130', display: 'ketamine' }] },
        isActive: true,
        strength: {
          numerator: { value: 100, unit: 'mg', system: UCUM, code: 'mg' },
          denominator: { value: 1, unit: 'Lozenge (troche)', system: UCUM, code: '1' },
        },
      },
    ]);
  });

  test('injection: strength per mL', () => {
    expect(med(ma(bundle, 's-03'))?.ingredient?.[0].strength).toEqual({
      numerator: { value: 50, unit: 'mg', system: UCUM, code: 'mg' },
      denominator: { value: 1, unit: 'mL', system: UCUM, code: 'mL' },
    });
    expect(med(ma(bundle, 's-03'))?.form?.coding?.[0].code).toBe('injection-solution');
  });

  test('esketamine keeps its RxNorm medicationCodeableConcept and nothing contained', () => {
    const m = ma(bundle, 's-07');
    expect(m.medicationCodeableConcept?.coding?.map((c) => [c.system, c.code])).toEqual([[RXNORM, '2201623']]);
    expect(m.contained).toBeUndefined();
    expect(m.medicationReference).toBeUndefined();
  });
});

describe('MedicationAdministration performer, devices and rate', () => {
  test('self-administered esketamine: the patient performs, the clinician witnesses', () => {
    const m = ma(bundle, 's-07');
    expect(m.performer?.map((p) => [p.function?.coding?.[0].system, p.function?.coding?.[0].code, p.actor.reference])).toEqual([
      [FUNCTION, 'performer', fullUrlIn(bundle, find(bundle, 'Patient', 'pt-0042'))],
      [FUNCTION, 'witness', fullUrlIn(bundle, find(bundle, 'Practitioner', 'pr-nurse-1'))],
    ]);
  });

  test('given by the clinician: one performer without a function', () => {
    expect(ma(bundle, 's-03').performer).toEqual([{ actor: { reference: fullUrlIn(bundle, find(bundle, 'Practitioner', 'pr-nurse-1')) } }]);
  });

  test('device count → kap-device-count valuePositiveInt; absent without one', () => {
    expect(ma(bundle, 's-07').extension).toEqual([{ url: `${SD}kap-device-count`, valuePositiveInt: 3 }]);
    expect(ma(bundle, 's-03').extension?.map((e) => e.url)).toEqual([`${SD}kap-lot-number`]);
  });

  test('IV with a dose end: rateRatio = mg given over minutes (0.1 min)', () => {
    expect(ma(bundle, 's-03').dosage?.rateRatio).toEqual({
      numerator: { value: 41.2, unit: 'mg', system: UCUM, code: 'mg' },
      denominator: { value: 40, unit: 'min', system: UCUM, code: 'min' },
    });
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-03').doseEnd = '2026-03-06T09:55:20-05:00';
    });
    expect(ma(b, 's-03').dosage?.rateRatio?.denominator?.value).toBe(40.3);
  });

  test('no rateRatio: IV without a dose end, or a nasal dose with one', () => {
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-04').route = 'iv';
    });
    expect(ma(b, 's-04').dosage?.rateRatio).toBeUndefined();
    expect(ma(bundle, 's-07').effectivePeriod?.end).toBe('2026-03-12T09:15:00-05:00');
    expect(ma(bundle, 's-07').dosage?.rateRatio).toBeUndefined();
  });

  test('no rateRatio for an IV dose whose end is its start (no rate)', () => {
    const b = mapInput(detailedEpisode(), (ep) => {
      dosingInput(ep, 's-03').doseEnd = '2026-03-06T09:15:00-05:00';
    });
    expect(ma(b, 's-03').dosage?.rateRatio).toBeUndefined();
  });
});
