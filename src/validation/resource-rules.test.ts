import { describe, expect, test } from '@jest/globals';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { resourceRuleIssues } from './resource-rules.js';
import { Validator } from './validator.js';

const list = (r: Resource, path: string = r.resourceType, bestPractice = false): string[] =>
  resourceRuleIssues(r, path, { bestPractice }).map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`);
const errors = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.code} ${i.expression?.[0]}`);
const narrative = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Example</div>' } as const;

describe('Resource.id: [A-Za-z0-9-.]{1,64} (datatypes.html#id), contained too', () => {
  test.each([
    ['example-1.a', []],
    ['a'.repeat(64), []],
    ['a'.repeat(65), ['error invalid Patient.id']],
    ['has space', ['error invalid Patient.id']],
    ['under_score', ['error invalid Patient.id']],
    ['', ['error invalid Patient.id']],
  ])('id %j', (id, expected) => {
    expect(list({ resourceType: 'Patient', id })).toEqual(expected);
  });

  test('a contained resource id, inside a Bundle entry', () => {
    const r = { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o_1' }], managingOrganization: { reference: '#o_1' } } as Resource;
    expect(list(r, 'Bundle.entry[1].resource')).toEqual(['error invalid Bundle.entry[1].resource.contained[0].id']);
  });

  test('messages never carry the id', () => {
    const [i] = resourceRuleIssues({ resourceType: 'Patient', id: 'secret value' }, 'Patient');
    expect(JSON.stringify(i)).not.toContain('secret');
  });
});

describe('contained resources (domainresource.html dom-3, dom-5)', () => {
  const org = { resourceType: 'Organization', id: 'o1', name: 'Example' } as const;
  test('dom-3: referenced from the container, or referring to it: fine; orphan: error at contained[i]', () => {
    expect(list({ resourceType: 'Patient', contained: [org], managingOrganization: { reference: '#o1' } } as Resource)).toEqual([]);
    const back = { resourceType: 'Provenance', id: 'p1', target: [{ reference: '#' }], recorded: '2024-01-01T00:00:00Z', agent: [{ who: { display: 'Example' } }] };
    expect(list({ resourceType: 'Patient', contained: [back] } as Resource)).toEqual([]);
    expect(list({ resourceType: 'Patient', contained: [org] } as Resource)).toEqual(['error invariant Patient.contained[0]']);
    expect(list({ resourceType: 'Patient', contained: [org], managingOrganization: { reference: '#other' } } as Resource)).toEqual([
      'error invariant Patient.contained[0]',
    ]);
  });

  test('dom-5: no security label on a contained resource', () => {
    const labelled = { ...org, meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } };
    const r = { resourceType: 'Patient', contained: [labelled], managingOrganization: { reference: '#o1' } } as Resource;
    expect(list(r)).toEqual(['error invariant Patient.contained[0].meta.security']);
  });

  test('dom-2 and dom-4 come from Medplum (error at the resource); the validator reports all four', () => {
    const v = new Validator();
    const nested = { resourceType: 'Patient', contained: [{ ...org, contained: [{ resourceType: 'Organization', id: 'o2' }] }], managingOrganization: { reference: '#o1' } };
    expect(errors(v.validate(nested as Resource))).toContain('invariant Patient');
    const versioned = { resourceType: 'Patient', contained: [{ ...org, meta: { versionId: '1' } }], managingOrganization: { reference: '#o1' } };
    expect(errors(v.validate(versioned as Resource))).toEqual(['invariant Patient']);
    const fine = { resourceType: 'Patient', contained: [org], managingOrganization: { reference: '#o1' } };
    expect(errors(v.validate(fine as Resource))).toEqual([]);
    expect(errors(v.validate({ resourceType: 'Patient', contained: [org] } as Resource))).toEqual(['invariant Patient.contained[0]']);
  });
});

describe('dom-6 (best practice: narrative), only when asked for', () => {
  test('warning at the resource without text.div; none with narrative, none for contained, Bundle or by default', () => {
    expect(list({ resourceType: 'Patient' }, 'Patient', true)).toEqual(['warning invariant Patient']);
    expect(list({ resourceType: 'Patient', text: narrative }, 'Patient', true)).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'collection' }, 'Bundle', true)).toEqual([]);
    expect(list({ resourceType: 'Patient' })).toEqual([]);
    const v = new Validator({ bestPractice: true });
    const o = v.validate({ resourceType: 'Patient', text: narrative, contained: [{ resourceType: 'Organization', id: 'o1' }], managingOrganization: { reference: '#o1' } } as Resource);
    expect((o.issue ?? []).filter((i) => i.severity === 'warning')).toEqual([]);
  });
});
