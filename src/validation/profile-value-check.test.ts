import { describe, expect, test } from '@jest/globals';
import { parseStructureDefinition, validateTypedValue, type InternalSchemaElement } from '@medplum/core';
import type { ElementDefinition, OperationOutcomeIssue, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { annotateProfile, checkProfileValue, needsProfileValueCheck } from './profile-value-check.js';
import { Validator } from './validator.js';
import { handWrittenProfile } from '../../test/helpers/hand-written-profile.js';

loadBaseDefinitions();

const UCUM = 'http://unitsofmeasure.org';

const profile = handWrittenProfile;

const bounded = profile('pvc-bounded', 'Observation', [
  { id: 'Observation.status', path: 'Observation.status', min: 1, max: '1', type: [{ code: 'code' }] },
  { id: 'Observation.code', path: 'Observation.code', min: 1, max: '1', type: [{ code: 'CodeableConcept' }] },
  { id: 'Observation.effective[x]', path: 'Observation.effective[x]', min: 0, max: '1', type: [{ code: 'dateTime' }], minValueDateTime: '2000-01-01T00:00:00Z', maxValueDateTime: '2030-01-01' },
  {
    id: 'Observation.value[x]',
    path: 'Observation.value[x]',
    min: 0,
    max: '1',
    type: [{ code: 'integer' }, { code: 'Quantity' }],
    minValueQuantity: { value: 1, system: UCUM, code: 'kg' },
    maxValueQuantity: { value: 500, system: UCUM, code: 'kg' },
  },
  { id: 'Observation.referenceRange', path: 'Observation.referenceRange', min: 0, max: '*', type: [{ code: 'BackboneElement' }] },
  { id: 'Observation.referenceRange.text', path: 'Observation.referenceRange.text', min: 0, max: '1', type: [{ code: 'string' }], maxLength: 4 },
  { id: 'Observation.referenceRange.low', path: 'Observation.referenceRange.low', min: 0, max: '1', type: [{ code: 'Quantity' }] },
  { id: 'Observation.referenceRange.low.value', path: 'Observation.referenceRange.low.value', min: 0, max: '1', type: [{ code: 'decimal' }], maxValueDecimal: 5 },
  { id: 'Observation.component', path: 'Observation.component', min: 0, max: '*', type: [{ code: 'BackboneElement' }] },
  { id: 'Observation.component.code', path: 'Observation.component.code', min: 1, max: '1', type: [{ code: 'CodeableConcept' }] },
  { id: 'Observation.component.value[x]', path: 'Observation.component.value[x]', min: 0, max: '1', type: [{ code: 'integer' }], minValueInteger: 0, maxValueInteger: 10 },
]);

const schema = annotateProfile(bounded, parseStructureDefinition(bounded));
const element = (key: string): InternalSchemaElement => schema.elements[key];
const component = schema.innerTypes.find((t) => t.path === 'Observation.component');

function check(el: InternalSchemaElement, type: string, value: unknown, path = 'Observation.x'): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  checkProfileValue({ path, element: el, type, value, root: undefined }, issues);
  return issues;
}

describe('needsProfileValueCheck', () => {
  test('true for elements the profile gives a minValue/maxValue (also inside a backbone element), false for others', () => {
    expect(needsProfileValueCheck(element('value[x]'))).toBe(true);
    expect(needsProfileValueCheck(element('effective[x]'))).toBe(true);
    expect(needsProfileValueCheck(component?.elements['value[x]'] as InternalSchemaElement)).toBe(true);
    expect(needsProfileValueCheck(element('status'))).toBe(false);
    expect(needsProfileValueCheck(component?.elements.code as InternalSchemaElement)).toBe(false);
  });
});

describe('checkProfileValue: minValue / maxValue', () => {
  const integer = component?.elements['value[x]'] as InternalSchemaElement;
  test.each([
    ['integer below minValueInteger', integer, 'integer', -1, 'less than the permitted minimum value (minValueInteger)'],
    ['integer above maxValueInteger', integer, 'integer', 11, 'greater than the permitted maximum value (maxValueInteger)'],
    ['Quantity above maxValueQuantity (same unit)', element('value[x]'), 'Quantity', { value: 501, system: UCUM, code: 'kg' }, 'maxValueQuantity'],
    ['Quantity below minValueQuantity (same unit)', element('value[x]'), 'Quantity', { value: 0.5, system: UCUM, code: 'kg' }, 'minValueQuantity'],
    ['Quantity above maxValueQuantity once converted (1200 [lb_av] > 500 kg)', element('value[x]'), 'Quantity', { value: 1200, system: UCUM, code: '[lb_av]' }, 'maxValueQuantity'],
    ['Quantity below minValueQuantity once converted (900 g < 1 kg)', element('value[x]'), 'Quantity', { value: 900, system: UCUM, code: 'g' }, 'minValueQuantity'],
    ['instant before minValueDateTime', element('effective[x]'), 'dateTime', '1999-12-31T23:00:00Z', 'minValueDateTime'],
    ['date before minValueDateTime (common precision)', element('effective[x]'), 'dateTime', '1999-12', 'minValueDateTime'],
    ['dateTime after maxValueDateTime', element('effective[x]'), 'dateTime', '2031-01-01T00:00:00+01:00', 'maxValueDateTime'],
  ])('%s: error at the value, naming the rule, not the value', (_name, el, type, value, text) => {
    const issues = check(el, type, value, 'Observation.component[0].valueInteger');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['Observation.component[0].valueInteger'] });
    expect(issues[0].details?.text).toContain(text);
    expect(issues[0].details?.text).not.toContain(JSON.stringify(value));
  });

  test.each([
    ['integer at minValue', integer, 'integer', 0],
    ['integer at maxValue', integer, 'integer', 10],
    ['Quantity within', element('value[x]'), 'Quantity', { value: 70, system: UCUM, code: 'kg' }],
    ['Quantity in another UCUM unit, within once converted (5000 g)', element('value[x]'), 'Quantity', { value: 5000, system: UCUM, code: 'g' }],
    ['Quantity in a unit of another dimension (not judged here)', element('value[x]'), 'Quantity', { value: 9999, system: UCUM, code: 'cm' }],
    ['Quantity in a unit of another system (not judged here)', element('value[x]'), 'Quantity', { value: 9999, system: 'http://example.org/units', code: 'kg' }],
    ['Quantity without a value', element('value[x]'), 'Quantity', { system: UCUM, code: 'kg' }],
    ['instant within (other zone)', element('effective[x]'), 'dateTime', '2000-01-01T00:30:00+00:00'],
    ['year of the bound', element('effective[x]'), 'dateTime', '2000'],
    ['an element with no bound', element('status'), 'code', 'final'],
  ])('%s: no issue', (_name, el, type, value) => {
    expect(check(el, type, value)).toEqual([]);
  });
});

describe('through the Validator (the walker visits bounded values)', () => {
  const validator = new Validator({ kapPackage: false, resources: [bounded] });
  const url = bounded.url;
  const errors = (r: object): string[] =>
    (validator.validate(r as never, { profile: url }).issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.expression?.[0]}`);
  const obs = { resourceType: 'Observation', status: 'final', code: { text: 'Test' } };

  test('Medplum alone does not check minValue/maxValue (why this check exists)', () => {
    const loaded = validator.store.getProfile(url);
    expect(loaded).toBeDefined();
    expect(validateTypedValue({ type: loaded?.key as string, value: { ...obs, component: [{ code: { text: 'Test' }, valueInteger: 99 }] } })).toEqual([]);
  });

  test.each([
    ['component integer above max', { component: [{ code: { text: 'Test' }, valueInteger: 99 }] }, ['invalid Observation.component[0].valueInteger']],
    ['Quantity above max', { valueQuantity: { value: 900, unit: 'kg', system: UCUM, code: 'kg' } }, ['invalid Observation.valueQuantity']],
    ['dateTime before min', { effectiveDateTime: '1990-01-01' }, ['invalid Observation.effectiveDateTime']],
    ['string longer than maxLength', { referenceRange: [{ text: 'Tests' }] }, ['too-long Observation.referenceRange[0].text']],
    ['string of maxLength characters', { referenceRange: [{ text: 'Test' }] }, []],
    ['a data-type child the profile bounds (referenceRange.low.value)', { referenceRange: [{ low: { value: 9 } }] }, ['invalid Observation.referenceRange[0].low.value']],
    ['all within', { referenceRange: [{ low: { value: 5 } }], effectiveDateTime: '2020-01-01', valueQuantity: { value: 80, unit: 'kg', system: UCUM, code: 'kg' }, component: [{ code: { text: 'Test' }, valueInteger: 3 }] }, []],
  ])('%s', (_name, extra, expected) => {
    expect(errors({ ...obs, ...extra })).toEqual(expected);
  });
});
