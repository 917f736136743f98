import { describe, expect, test } from '@jest/globals';
import type { Bundle } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { bundleRuleIssues } from './bundle-rules.js';

loadBaseDefinitions(); // resource type names (the Validator loads them before its Bundle rules run)

const list = (b: Bundle): string[] => bundleRuleIssues(b, 'Bundle').map((i) => `${i.severity} ${i.expression?.[0]}`);
const u = (n: number): string => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const patient = (id: string) => ({ resourceType: 'Patient' as const, id });
const composition = {
  resourceType: 'Composition' as const,
  id: 'c1',
  status: 'final' as const,
  type: { text: 'Example' },
  date: '2024-01-01',
  author: [{ reference: u(2) }],
  title: 'Example',
};

describe('Bundle rules (HL7 validator BundleValidator, bundle.html)', () => {
  test('document: first resource a Composition (bdl-11); no entries; first entry without resource', () => {
    const base: Bundle = { resourceType: 'Bundle', type: 'document', identifier: { system: 'urn:ietf:rfc:3986', value: u(9) }, timestamp: '2024-01-01T00:00:00Z' };
    expect(list({ ...base, entry: [{ fullUrl: u(1), resource: composition }, { fullUrl: u(2), resource: patient('p') }] })).toEqual([]);
    expect(list({ ...base, entry: [{ fullUrl: u(2), resource: patient('p') }, { fullUrl: u(1), resource: composition }] })).toEqual(['error Bundle.entry[0].resource']);
    expect(list({ ...base, entry: [] })).toEqual(['error Bundle']);
    expect(list({ ...base, entry: [{ fullUrl: u(1) }] })).toEqual(['error Bundle.entry[0]']);
  });

  test('message: first resource a MessageHeader', () => {
    const header = { resourceType: 'MessageHeader' as const, eventCoding: { system: 'http://example.org', code: 'x' }, source: { endpoint: 'http://example.org' } };
    expect(list({ resourceType: 'Bundle', type: 'message', entry: [{ fullUrl: u(1), resource: header }] })).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'message', entry: [{ fullUrl: u(1), resource: patient('p') }] })).toEqual(['error Bundle.entry[0].resource']);
  });

  test('fullUrl: absolute (URL, urn:uuid, urn:oid), required outside transaction/batch, type/id matching the resource', () => {
    const ok: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: u(1), resource: patient('a') },
        { fullUrl: 'urn:oid:1.2.3.4', resource: patient('b') },
        { fullUrl: 'http://example.org/fhir/Patient/c', resource: patient('c') },
      ],
    };
    expect(list(ok)).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'Patient/a', resource: patient('a') }] })).toEqual(['error Bundle.entry[0]']);
    expect(list({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient('a') }] })).toEqual(['error Bundle.entry[0]']);
    expect(list({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('a'), request: { method: 'POST', url: 'Patient' } }] })).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/Patient/x', resource: patient('a') }] })).toEqual([
      'error Bundle.entry[0]',
    ]);
    expect(list({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/Patient/x', resource: { resourceType: 'Patient' } }] })).toEqual([
      'error Bundle.entry[0]',
    ]);
  });

  test('links: one self; paging relations only in searchset/history, once each', () => {
    const self = { relation: 'self', url: 'http://example.org/fhir/Patient' };
    expect(list({ resourceType: 'Bundle', type: 'collection', link: [self] })).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'collection', link: [self, self] })).toEqual(['error Bundle.link[1].relation']);
    expect(list({ resourceType: 'Bundle', type: 'collection', link: [{ relation: 'next', url: 'http://example.org/fhir/Patient?page=2' }] })).toEqual([
      'error Bundle.link[0].relation',
    ]);
    const next = { relation: 'next', url: 'http://example.org/fhir/Patient?page=2' };
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: [self, next] })).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: [self, next, next] })).toEqual(['error Bundle.link[2]']);
  });

  test('searchset: self link (warning), resources with ids for match, OperationOutcome for outcome', () => {
    const self = [{ relation: 'self', url: 'http://example.org/fhir/Patient' }];
    const fu = (id: string) => `http://example.org/fhir/Patient/${id}`;
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: self, entry: [{ fullUrl: fu('a'), resource: patient('a'), search: { mode: 'match' } }] })).toEqual([]);
    expect(list({ resourceType: 'Bundle', type: 'searchset', entry: [] })).toEqual(['warning Bundle']);
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: self, entry: [{ fullUrl: u(1), resource: { resourceType: 'Patient' }, search: { mode: 'match' } }] })).toEqual([
      'error Bundle.entry[0].resource',
    ]);
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: self, entry: [{ fullUrl: fu('a'), resource: patient('a'), search: { mode: 'outcome' } }] })).toEqual([
      'error Bundle.entry[0].resource',
    ]);
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: self, entry: [{ fullUrl: u(1), search: { mode: 'match' } }] })).toEqual(['error Bundle.entry[0]']);
    const org = { resourceType: 'Organization' as const, id: 'o' };
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: self, entry: [{ fullUrl: u(3), resource: org, search: { mode: 'match' } }] })).toEqual([
      'error Bundle.entry[0].resource',
    ]);
    const byType = [{ relation: 'self', url: 'http://example.org/fhir/?_type=Organization,Patient' }];
    expect(list({ resourceType: 'Bundle', type: 'searchset', link: byType, entry: [{ fullUrl: u(2), resource: org, search: { mode: 'match' } }] })).toEqual([]);
  });

  test('a reference matching more than one entry is an error at the Reference', () => {
    const obs = { resourceType: 'Observation' as const, status: 'final' as const, code: { text: 'Example' }, subject: { reference: 'Patient/a' } };
    const one: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: u(1), resource: obs }, { fullUrl: 'http://example.org/fhir/Patient/a', resource: patient('a') }] };
    expect(list(one)).toEqual([]);
    const two: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: u(1), resource: obs },
        { fullUrl: 'http://example.org/fhir/Patient/a', resource: patient('a') },
        { fullUrl: 'http://other.example.org/fhir/Patient/a', resource: patient('a') },
      ],
    };
    expect(list(two)).toEqual(['error Bundle.entry[0].resource.subject']);
    const byFullUrl: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: u(1), resource: { ...obs, subject: { reference: u(2) } } },
        { fullUrl: u(2), resource: patient('a') },
      ],
    };
    expect(list(byFullUrl)).toEqual([]);
  });

  test('messages never echo a fullUrl or a reference', () => {
    const text = JSON.stringify(bundleRuleIssues({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'Patient/secret', resource: patient('secret') }] }, 'Bundle'));
    expect(text).not.toContain('secret');
  });
});
