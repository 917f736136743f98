import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Observation, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { coreProfilesLoaded } from './base-conformance.js';
import { impliedProfiles, vitalSignProfile } from './implied-profiles.js';
import { kapPackageDir, Validator } from './validator.js';

const validator = new Validator();
const issues = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.code} ${i.expression?.[0]}`);
const example = (name: string): Resource => JSON.parse(readFileSync(`${kapPackageDir()}/example/${name}.json`, 'utf8')) as Resource;
const loinc = (code: string): Observation['code'] => ({ coding: [{ system: 'http://loinc.org', code }] });
const vitalsCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const heartRate = (over: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  category: vitalsCategory,
  code: loinc('8867-4'),
  subject: { reference: 'Patient/example' },
  effectiveDateTime: '2024-01-01T10:00:00Z',
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  ...over,
});

describe('R4 vital-signs profiles implied by the LOINC code (HL7 validator: getImpliedProfilesForObservation)', () => {
  test('profiles-others.json is read only once an Observation needs a vital-signs profile', () => {
    expect(issues(validator.validate({ resourceType: 'Patient' }))).toEqual([]);
    expect(issues(validator.validate({ resourceType: 'Observation', status: 'final', code: loinc('44249-1') }))).toEqual([]);
    expect(coreProfilesLoaded()).toBe(false);
    validator.validate(heartRate());
    expect(coreProfilesLoaded()).toBe(true);
  });

  test.each([
    ['85354-9', 'bp'],
    ['8480-6', 'bp'],
    ['8867-4', 'heartrate'],
    ['59408-5', 'oxygensat'],
    ['2708-6', 'oxygensat'],
    ['9279-1', 'resprate'],
    ['8310-5', 'bodytemp'],
    ['29463-7', 'bodyweight'],
    ['8302-2', 'bodyheight'],
    ['39156-5', 'bmi'],
    ['9843-4', 'headcircum'],
    ['85353-1', 'vitalspanel'],
  ])('LOINC %s → %s', (code, id) => {
    expect(vitalSignProfile({ resourceType: 'Observation', status: 'final', code: loinc(code) })).toBe(`http://hl7.org/fhir/StructureDefinition/${id}`);
  });

  test('no profile for another code, another system, or another resource', () => {
    expect(impliedProfiles({ resourceType: 'Observation', status: 'final', code: loinc('44249-1') })).toEqual([]);
    expect(impliedProfiles({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '8867-4' }] } })).toEqual([]);
    expect(impliedProfiles({ resourceType: 'Patient' })).toEqual([]);
  });

  test('a heart rate meeting the profile is valid; without subject, effective[x] or category it is not', () => {
    expect(issues(validator.validate(heartRate()))).toEqual([]);
    const { subject: _s, effectiveDateTime: _e, category: _c, ...bare } = heartRate();
    const found = issues(validator.validate(bare as Observation));
    expect(found).toEqual(expect.arrayContaining(['structure Observation.subject', 'structure Observation.effective[x]', 'structure Observation.category']));
  });

  test('a heart rate in the wrong unit breaks the profile (valueQuantity.code fixed to /min)', () => {
    const wrong = heartRate({ valueQuantity: { value: 72, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
    expect(issues(validator.validate(wrong))).toEqual(['structure Observation.valueQuantity.code']);
  });

  test('a blood pressure without its systolic/diastolic components breaks the bp profile', () => {
    const bp = example('Observation-ExampleBloodPressure') as Observation;
    expect(issues(validator.validate(bp))).toEqual([]);
    const { meta: _m, ...noProfile } = bp;
    expect(issues(validator.validate(noProfile as Observation))).toEqual([]);
    const broken = { ...noProfile, component: [] } as Observation;
    expect(issues(validator.validate(broken))).toEqual(expect.arrayContaining(['structure Observation.component', 'invariant Observation']));
  });

  test.each([
    'Observation-ExampleBloodPressure',
    'Observation-ExampleHeartRate',
    'Observation-ExampleOxygenSaturation',
    'Observation-ExampleRespiratoryRate',
    'Observation-ExampleBodyWeight',
  ])('the KAP example %s meets its R4 vital-signs profile too', (name) => {
    const r = example(name) as Observation;
    expect(impliedProfiles(r)).toHaveLength(1);
    expect(issues(validator.validate(r))).toEqual([]);
  });
});
