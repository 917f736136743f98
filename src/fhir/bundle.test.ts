import { describe, expect, test } from '@jest/globals';
import type { AdverseEvent, Observation, Patient, Provenance } from '@medplum/fhirtypes';
import { buildTransactionBundle, entryKey, sortResources, transactionEntry } from './bundle.js';
import { fullUrlFor } from './identifiers.js';

const SYS = 'https://kap-fhir.org/fhir/clinic/c1';
const obs = (value: string): Observation => ({
  resourceType: 'Observation',
  identifier: [{ system: SYS, value }],
  status: 'final',
  code: { text: 'x' },
});
const patient: Patient = { resourceType: 'Patient', identifier: [{ system: SYS, value: 'p1' }] };
const ae: AdverseEvent = {
  resourceType: 'AdverseEvent',
  identifier: { system: SYS, value: 'ae-1' },
  actuality: 'actual',
  subject: { reference: 'urn:uuid:x' },
};
const prov: Provenance = {
  resourceType: 'Provenance',
  meta: { tag: [{ system: SYS, code: 'episode-e1-v1' }] },
  target: [{ reference: 'urn:uuid:x' }],
  recorded: '2026-01-01T00:00:00Z',
  agent: [{ who: { reference: 'urn:uuid:y' } }],
};

describe('transaction Bundle builder', () => {
  test('conditional PUT on the identifier (array or single), on _tag for Provenance', () => {
    expect(transactionEntry(patient).request).toEqual({ method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${SYS}|p1`)}` });
    expect(transactionEntry(ae).request?.url).toBe(`AdverseEvent?identifier=${encodeURIComponent(`${SYS}|ae-1`)}`);
    expect(transactionEntry(prov).request?.url).toBe(`Provenance?_tag=${encodeURIComponent(`${SYS}|episode-e1-v1`)}`);
    expect(transactionEntry(patient).fullUrl).toBe(fullUrlFor('Patient', SYS, 'p1'));
  });

  test('a resource without identifier or tag is a mapping bug', () => {
    expect(() => entryKey({ resourceType: 'Patient' })).toThrow('Patient has no business identifier');
  });

  test('sorted by rank, then identifier value in code-unit order', () => {
    const sorted = sortResources([prov, obs('b'), ae, obs('B'), patient, obs('a-10'), obs('a-9')]);
    expect(sorted.map((r) => `${r.resourceType}:${entryKey(r).value}`)).toEqual([
      'Patient:p1',
      'Observation:B',
      'Observation:a-10',
      'Observation:a-9',
      'Observation:b',
      'AdverseEvent:ae-1',
      'Provenance:episode-e1-v1',
    ]);
  });

  test('a duplicate entry is refused', () => {
    expect(() => buildTransactionBundle({ system: SYS, value: 'e' }, [obs('a'), obs('a')])).toThrow('Duplicate Observation entry');
  });

  test('the Bundle is a transaction with the given identifier', () => {
    const b = buildTransactionBundle({ system: SYS, value: 'episode-e1-v1' }, [obs('a'), patient]);
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'transaction', identifier: { system: SYS, value: 'episode-e1-v1' } });
    expect(b.entry?.map((e) => e.resource?.resourceType)).toEqual(['Patient', 'Observation']);
  });
});
