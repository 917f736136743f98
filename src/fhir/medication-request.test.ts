/**
 * MedicationRequest of issue 13 (docs/design/issue-13-contract.md): contained Medication for racemic ketamine,
 * mg/kg in doseAndRate (extension kept), the sig and the interval timing.
 */
import { describe, expect, test } from '@jest/globals';
import type { MedicationRequest } from '@medplum/fhirtypes';
import { kapEpisodeSchema } from '../kap/episode.js';
import type { Prescription } from '../kap/prescription.js';
import { detailedEpisode } from './__test__/detailed-episode.js';
import { find, mapInput } from './__test__/mapped.js';
import { prescriptionSig } from './medication-request.js';

const UCUM = 'http://unitsofmeasure.org';
const SD = 'https://kap-fhir.org/fhir/StructureDefinition/';
const KAP_CS = 'https://kap-fhir.org/fhir/CodeSystem/';

const bundle = mapInput(detailedEpisode());
const rx = (id: string): MedicationRequest => find(bundle, 'MedicationRequest', id);
const parsedRx = (id: string): Prescription => {
  const p = kapEpisodeSchema.parse(detailedEpisode()).prescriptions.find((x) => x.id === id);
  if (!p) {
    throw new Error(`no prescription ${id}`);
  }
  return p;
};

describe('MedicationRequest', () => {
  test('mg/kg: doseQuantity in UCUM mg/kg, and the kap-dose-per-body-weight extension kept', () => {
    const d = rx('rx-1').dosageInstruction?.[0];
    expect(d?.doseAndRate).toEqual([{ doseQuantity: { value: 0.5, unit: 'mg/kg', system: UCUM, code: 'mg/kg' } }]);
    expect(d?.extension).toEqual([
      { url: `${SD}kap-dose-per-body-weight`, valueQuantity: { value: 0.5, unit: 'mg/kg', system: UCUM, code: 'mg/kg' } },
    ]);
  });

  test('mg: doseQuantity in mg, no extension', () => {
    const d = rx('rx-3').dosageInstruction?.[0];
    expect(d?.doseAndRate).toEqual([{ doseQuantity: { value: 84, unit: 'mg', system: UCUM, code: 'mg' } }]);
    expect(d?.extension).toBeUndefined();
  });

  test('text: the generated sig when none is written, the written one otherwise', () => {
    expect(rx('rx-1').dosageInstruction?.[0].text).toBe('Ketamine 0.5 mg/kg intravenous, once per dosing session, 6 sessions');
    expect(rx('rx-3').dosageInstruction?.[0].text).toBe(
      'Esketamine 84 mg nasal spray (3 devices) intranasal, once per dosing session, at most once every 3 days, 7 sessions'
    );
    expect(rx('rx-4').dosageInstruction?.[0].text).toBe('Dissolve two 100 mg troches under the tongue at the dosing session.');
  });

  test('minIntervalDays → maxDosePerPeriod = the prescribed dose per N days, no timing (a limit, not a schedule); none without it', () => {
    const dosage = rx('rx-3').dosageInstruction?.[0];
    expect(dosage?.maxDosePerPeriod).toEqual({ numerator: dosage?.doseAndRate?.[0]?.doseQuantity, denominator: { value: 3, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } });
    expect(dosage?.timing).toBeUndefined();
    expect(rx('rx-1').dosageInstruction?.[0].maxDosePerPeriod).toBeUndefined();
  });

  test('racemic ketamine: contained Medication with the prescription form and strength; esketamine: RxNorm concept', () => {
    const loz = rx('rx-4');
    expect(loz.medicationReference).toEqual({ reference: '#med' });
    const m = loz.contained?.[0];
    expect(m?.resourceType === 'Medication' && [m.id, m.form?.coding?.[0].system, m.form?.coding?.[0].code]).toEqual([
      'med',
      `${KAP_CS}kap-dose-form`,
      'lozenge',
    ]);
    expect(m?.resourceType === 'Medication' && m.ingredient?.[0].strength?.numerator?.value).toBe(100);
    expect(rx('rx-3').contained).toBeUndefined();
    expect(rx('rx-3').medicationCodeableConcept?.coding?.[0].code).toBe('2201623');
  });
});

describe('prescriptionSig', () => {
  const base = parsedRx('rx-1');
  test.each<[string, Partial<Prescription>, string]>([
    ['the contract example (mg/kg IV)', {}, 'Ketamine 0.5 mg/kg intravenous, once per dosing session, 6 sessions'],
    [
      'the contract example (esketamine, interval)',
      { product: 'esketamine', route: 'intranasal', dose: { unit: 'mg', value: 84 }, minIntervalDays: 3, sessions: 7 },
      'Esketamine 84 mg nasal spray (3 devices) intranasal, once per dosing session, at most once every 3 days, 7 sessions',
    ],
    [
      'one device, one session, once a day',
      { product: 'esketamine', route: 'intranasal', dose: { unit: 'mg', value: 28 }, minIntervalDays: 1, sessions: 1 },
      'Esketamine 28 mg nasal spray (1 device) intranasal, once per dosing session, at most once a day, 1 session',
    ],
    [
      'esketamine not a whole number of devices',
      { product: 'esketamine', route: 'intranasal', dose: { unit: 'mg', value: 30 } },
      'Esketamine 30 mg nasal spray intranasal, once per dosing session, 6 sessions',
    ],
    [
      'racemic ketamine with form and strength',
      { route: 'sublingual', dose: { unit: 'mg', value: 200 }, form: 'lozenge', strength: { mg: 100, per: 'unit' }, sessions: 4 },
      'Ketamine 200 mg lozenge (troche) 100 mg/unit sublingual, once per dosing session, 4 sessions',
    ],
    [
      'oral solution per mL, intramuscular route words',
      { route: 'im', dose: { unit: 'mg', value: 35 }, form: 'oral-solution', strength: { mg: 10, per: 'mL' } },
      'Ketamine 35 mg oral solution 10 mg/mL intramuscular, once per dosing session, 6 sessions',
    ],
  ])('%s', (_name, change, sig) => {
    expect(prescriptionSig({ ...base, ...change })).toBe(sig);
  });

  test('a written sig does not change the generated one', () => {
    expect(prescriptionSig({ ...base, sig: 'Something else' })).toBe(prescriptionSig(base));
  });
});
