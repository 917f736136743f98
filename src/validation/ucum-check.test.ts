import { describe, expect, test } from '@jest/globals';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { checkUcum, isValidUcum, UCUM } from './ucum-check.js';
import { Validator } from './validator.js';

describe('isValidUcum (the NLM UCUM library)', () => {
  test.each([
    ['mg', true],
    ['mm[Hg]', true],
    ['kg/m2', true],
    ['{beats}/min', true],
    ['10*3/uL', true],
    ['mL/min/{1.73_m2}', true],
    ['Cel', true],
    ['foo/bar[', false],
    ['beats/min', false],
    ['mmHg', false],
    ['yearz', false],
  ])('%s → %s', (code, valid) => {
    expect(isValidUcum(code)).toBe(valid);
    expect(isValidUcum(code)).toBe(valid); // cached verdict
  });
});

describe('checkUcum', () => {
  const run = (type: string, value: unknown): OperationOutcomeIssue[] => {
    const issues: OperationOutcomeIssue[] = [];
    checkUcum(type, value, 'Observation.valueQuantity', issues);
    return issues;
  };
  test('an invalid UCUM code under the UCUM system is an error at the quantity; the message does not echo it', () => {
    const issues = run('Quantity', { value: 1, system: UCUM, code: 'foo/bar[' });
    expect(issues.map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`)).toEqual(['error code-invalid Observation.valueQuantity']);
    expect(issues[0].details?.text).not.toContain('foo');
  });
  test('valid codes, other systems, no code and non-quantity types are not reported', () => {
    expect(run('Quantity', { value: 1, system: UCUM, code: 'mg' })).toEqual([]);
    expect(run('Age', { value: 1, system: UCUM, code: 'a' })).toEqual([]);
    expect(run('Quantity', { value: 1, system: 'http://example.org/units', code: 'foo/bar[' })).toEqual([]);
    expect(run('Quantity', { value: 1, system: UCUM })).toEqual([]);
    expect(run('Coding', { system: UCUM, code: 'foo/bar[' })).toEqual([]);
  });
  test('every quantity type is checked (Age, Duration, SimpleQuantity, …)', () => {
    for (const type of ['Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']) {
      expect(run(type, { value: 1, system: UCUM, code: 'yearz' })).toHaveLength(1);
    }
  });
});

describe('UCUM through the validator', () => {
  const validator = new Validator();
  const obs = (q: Record<string, unknown>): Resource =>
    ({ resourceType: 'Observation', status: 'final', code: { text: 'Test' }, component: [{ code: { text: 'Test' }, valueQuantity: q }] }) as Resource;
  const errors = (r: Resource): string[] =>
    (validator.validate(r).issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.expression?.[0]}`);
  test('failing and passing component quantity', () => {
    expect(errors(obs({ value: 1, system: UCUM, code: 'mmHg' }))).toEqual(['code-invalid Observation.component[0].valueQuantity']);
    expect(errors(obs({ value: 1, system: UCUM, code: 'mm[Hg]' }))).toEqual([]);
  });
});
