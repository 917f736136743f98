import { describe, expect, test } from '@jest/globals';
import type { Bundle } from '@medplum/fhirtypes';
import { BundleIndex } from './bundle-index.js';

const bundle: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: 'urn:uuid:6f1c1a0e-0000-5000-8000-000000000001', resource: { resourceType: 'Patient' } },
    { fullUrl: 'https://ehr.example.org/fhir/Practitioner/pr-7', resource: { resourceType: 'Practitioner', id: 'pr-7' } },
    { resource: { resourceType: 'Organization', id: 'org-1', identifier: [{ system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'c1' }] } },
    { resource: { resourceType: 'Practitioner', identifier: [{ system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'c1' }] } },
    { fullUrl: 'urn:uuid:6f1c1a0e-0000-5000-8000-000000000009' },
  ],
};

describe('BundleIndex', () => {
  const index = new BundleIndex(bundle);

  test('indexes entries with a resource: location, and name as a reference would (fullUrl, else Type/id, else Type/#n)', () => {
    expect(index.entries.map((e) => [e.location, e.ref])).toEqual([
      ['Bundle.entry[0].resource', 'urn:uuid:6f1c1a0e-0000-5000-8000-000000000001'],
      ['Bundle.entry[1].resource', 'https://ehr.example.org/fhir/Practitioner/pr-7'],
      ['Bundle.entry[2].resource', 'Organization/org-1'],
      ['Bundle.entry[3].resource', 'Practitioner/#3'],
    ]);
    expect(index.ofType('Practitioner').map((e) => e.resource.id)).toEqual(['pr-7', undefined]);
  });

  test.each([
    ['urn:uuid:6f1c1a0e-0000-5000-8000-000000000001', 'Patient'],
    ['Practitioner/pr-7', 'Practitioner'],
    ['https://ehr.example.org/fhir/Practitioner/pr-7', 'Practitioner'],
    ['https://other.example.org/fhir/Practitioner/pr-7/_history/3', 'Practitioner'],
    ['Organization/org-1', 'Organization'],
  ])('resolves %s', (reference, type) => {
    expect(index.resolve({ reference })?.resource.resourceType).toBe(type);
  });

  test.each([['urn:uuid:6f1c1a0e-0000-5000-8000-000000000009'], ['Patient/nobody'], ['#contained'], ['']])(
    'does not resolve %p',
    (reference) => {
      expect(index.resolve({ reference })).toBeUndefined();
    }
  );

  test('resolves a logical reference by identifier, with its type when the identifier is shared', () => {
    const identifier = { system: 'https://kap-fhir.org/fhir/clinic/c1', value: 'c1' };
    expect(index.resolve({ type: 'Organization', identifier })?.location).toBe('Bundle.entry[2].resource');
    expect(index.resolve({ type: 'Practitioner', identifier })?.location).toBe('Bundle.entry[3].resource');
    expect(index.resolve({ identifier })).toBeUndefined(); // ambiguous without a type
    expect(index.resolve({ type: 'Patient', identifier })).toBeUndefined();
  });

  test('a Bundle without entries is empty', () => {
    expect(new BundleIndex({ resourceType: 'Bundle', type: 'searchset' }).entries).toEqual([]);
  });

  test('takes a reference as a string too', () => {
    expect(index.resolve('Organization/org-1')).toBe(index.entries[2]);
    expect(index.resolve(undefined)).toBeUndefined();
  });
});

describe('BundleIndex: conditional references (a transaction Bundle)', () => {
  const system = 'https://kap-fhir.org/fhir/clinic/c1';
  const transaction = new BundleIndex({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1c1a0e-0000-5000-8000-000000000001',
        resource: { resourceType: 'Patient', identifier: [{ system, value: 'pt-1' }] },
        request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${system}|pt-1`)}` },
      },
      {
        resource: { resourceType: 'Practitioner', identifier: [{ system, value: 'pr-1' }] },
        request: { method: 'POST', url: 'Practitioner', ifNoneExist: `identifier=${system}|pr-1` },
      },
      { resource: { resourceType: 'Organization', identifier: [{ system, value: 'org-1' }] } },
    ],
  });

  test.each([
    [`Patient?identifier=${encodeURIComponent(`${system}|pt-1`)}`, 0],
    [`Patient?identifier=${system}|pt-1`, 0],
    [`Practitioner?identifier=${system}|pr-1`, 1],
    [`Organization?identifier=${system}|org-1`, 2],
    ['Organization?identifier=org-1', 2],
  ])('resolves %s', (reference, index) => {
    expect(transaction.resolve(reference)?.index).toBe(index);
  });

  test.each([[`Organization?identifier=${system}|other`], [`Organization?name=x&identifier=${system}|org-1`], [`Patient?identifier=${system}|org-1`]])(
    'does not resolve %s',
    (reference) => {
      expect(transaction.resolve(reference)).toBeUndefined();
    }
  );
});
