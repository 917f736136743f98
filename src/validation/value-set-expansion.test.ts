import { describe, expect, test } from '@jest/globals';
import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import { ConformanceStore } from './conformance-store.js';
import { ValueSetExpander } from './value-set-expansion.js';

const cs: CodeSystem = {
  resourceType: 'CodeSystem',
  url: 'https://example.org/cs',
  status: 'active',
  content: 'complete',
  concept: [{ code: 'a', concept: [{ code: 'a1' }] }, { code: 'b' }],
};
const vs = (id: string, compose: ValueSet['compose']): ValueSet => ({
  resourceType: 'ValueSet',
  url: `https://example.org/vs/${id}`,
  status: 'active',
  compose,
});
const store = new ConformanceStore();
store.addAll([
  cs,
  vs('whole', { include: [{ system: cs.url }] }),
  vs('listed', { include: [{ system: 'http://snomed.info/sct', concept: [{ code: '46713006' }] }] }),
  vs('loinc', { include: [{ system: 'http://loinc.org' }] }),
  vs('filtered', { include: [{ system: cs.url, filter: [{ property: 'concept', op: 'is-a', value: 'a' }] }] }),
  vs('import', { include: [{ valueSet: ['https://example.org/vs/whole'] }], exclude: [{ system: cs.url, concept: [{ code: 'b' }] }] }),
]);
const expander = new ValueSetExpander(store);
const member = (id: string, system: string | undefined, code: string): string => {
  const exp = expander.expand(`https://example.org/vs/${id}`);
  return exp ? ValueSetExpander.member(exp, system, code) : 'not loaded';
};

describe('local value-set expansion', () => {
  test('a whole small code system, nested concepts included', () => {
    expect([member('whole', cs.url, 'a1'), member('whole', cs.url, 'c'), member('whole', undefined, 'b')]).toEqual(['yes', 'no', 'yes']);
  });
  test('a concept list from SNOMED CT: other SNOMED codes are not members', () => {
    expect([member('listed', 'http://snomed.info/sct', '46713006'), member('listed', 'http://snomed.info/sct', '26643006')]).toEqual(['yes', 'no']);
  });
  test('all of LOINC, or a filter, cannot be expanded locally: unknown, never no', () => {
    expect([member('loinc', 'http://loinc.org', '1234-5'), member('filtered', cs.url, 'zzz')]).toEqual(['unknown', 'unknown']);
    expect(member('loinc', 'http://snomed.info/sct', '1')).toBe('no');
  });
  test('valueSet imports and excluded concepts', () => {
    expect([member('import', cs.url, 'a'), member('import', cs.url, 'b')]).toEqual(['yes', 'no']);
  });
  test('the R4 base value sets are there (administrative-gender)', () => {
    const exp = expander.expand('http://hl7.org/fhir/ValueSet/administrative-gender');
    expect(exp && ValueSetExpander.member(exp, undefined, 'female')).toBe('yes');
    expect(exp && ValueSetExpander.member(exp, undefined, 'f')).toBe('no');
  });
});
