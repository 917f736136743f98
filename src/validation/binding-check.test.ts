import { describe, expect, test } from '@jest/globals';
import type { InternalSchemaElement } from '@medplum/core';
import type { ElementDefinitionBinding, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { checkBinding } from './binding-check.js';
import { additionalBindings, bindingChecked } from './checked-bindings.js';
import { ConformanceStore } from './conformance-store.js';
import { ValueSetExpander } from './value-set-expansion.js';

const CS = 'http://example.org/fhir/CodeSystem/colours';
const VS = 'http://example.org/fhir/ValueSet/colours';
const VS_MAX = 'http://example.org/fhir/ValueSet/colours-max';
const UCUM = 'http://unitsofmeasure.org';
const VS_UNITS = 'http://example.org/fhir/ValueSet/units';
const store = new ConformanceStore();
store.addAll([
  { resourceType: 'CodeSystem', url: CS, status: 'active', content: 'complete', concept: [{ code: 'red' }, { code: 'green' }, { code: 'blue' }, { code: 'purple' }] },
  { resourceType: 'ValueSet', url: VS, status: 'active', compose: { include: [{ system: CS, concept: [{ code: 'red' }, { code: 'green' }] }] } },
  { resourceType: 'ValueSet', url: VS_MAX, status: 'active', compose: { include: [{ system: CS, concept: [{ code: 'red' }, { code: 'green' }, { code: 'blue' }] }] } },
  { resourceType: 'ValueSet', url: VS_UNITS, status: 'active', compose: { include: [{ system: UCUM, concept: [{ code: 'kg' }, { code: 'g' }] }] } },
] as Resource[]);
const expander = new ValueSetExpander(store);

const element = (code: string, binding: ElementDefinitionBinding): InternalSchemaElement => ({
  description: '',
  path: 'Observation.value[x]',
  min: 0,
  max: 1,
  type: [{ code }],
  binding,
});
const check = (type: string, binding: ElementDefinitionBinding, value: unknown): string[] => {
  const issues: OperationOutcomeIssue[] = [];
  checkBinding({ path: 'Observation.value', element: element(type, binding), type, value }, expander, issues);
  return issues.map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`);
};
const required: ElementDefinitionBinding = { strength: 'required', valueSet: VS };
const MAX = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet';
const AB = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';

describe('bindings on every bindable type: [type, failing value, passing value]', () => {
  test.each([
    ['code', 'yellow', 'red'],
    ['string', 'yellow', 'red'],
    ['uri', 'yellow', 'green'],
    ['Coding', { system: CS, code: 'blue' }, { system: CS, code: 'red' }],
    ['CodeableConcept', { coding: [{ system: CS, code: 'blue' }] }, { coding: [{ system: CS, code: 'blue' }, { system: CS, code: 'red' }] }],
  ])('%s under a required binding', (type, failing, passing) => {
    expect(check(type, required, failing)).toEqual(['error code-invalid Observation.value']);
    expect(check(type, required, passing)).toEqual([]);
  });

  test('Quantity: system and code against the value set', () => {
    const units: ElementDefinitionBinding = { strength: 'required', valueSet: VS_UNITS };
    expect(check('Quantity', units, { value: 1, system: UCUM, code: 'mg' })).toEqual(['error code-invalid Observation.value']);
    expect(check('Quantity', units, { value: 1, system: 'http://example.org/other', code: 'kg' })).toEqual(['error code-invalid Observation.value']);
    expect(check('Quantity', units, { value: 1, system: UCUM, code: 'kg' })).toEqual([]);
    expect(check('Age', units, { value: 1, system: UCUM, code: 'g' })).toEqual([]);
    expect(check('Quantity', units, { value: 1 })).toEqual([]); // no code: not judged
  });

  test('extensible: a warning', () => {
    expect(check('CodeableConcept', { strength: 'extensible', valueSet: VS }, { coding: [{ system: CS, code: 'blue' }] })).toEqual([
      'warning code-invalid Observation.value',
    ]);
  });
});

describe('additional bindings', () => {
  test('maxValueSet on an extensible binding: outside the maximum is an error, outside the binding only a warning', () => {
    const b: ElementDefinitionBinding = { strength: 'extensible', valueSet: VS, extension: [{ url: MAX, valueCanonical: VS_MAX }] };
    expect(check('CodeableConcept', b, { coding: [{ system: CS, code: 'purple' }] })).toEqual([
      'warning code-invalid Observation.value',
      'error code-invalid Observation.value',
    ]);
    expect(check('CodeableConcept', b, { coding: [{ system: CS, code: 'blue' }] })).toEqual(['warning code-invalid Observation.value']);
    expect(check('CodeableConcept', b, { coding: [{ system: CS, code: 'red' }] })).toEqual([]);
  });

  test('additional-binding extension (purpose required) and R5 binding.additional on a preferred binding', () => {
    const ext: ElementDefinitionBinding = {
      strength: 'preferred',
      valueSet: VS,
      extension: [{ url: AB, extension: [{ url: 'purpose', valueCode: 'required' }, { url: 'valueSet', valueCanonical: VS_MAX }] }],
    };
    const r5 = { strength: 'preferred', valueSet: VS, additional: [{ purpose: 'required', valueSet: VS_MAX }] } as ElementDefinitionBinding;
    for (const b of [ext, r5]) {
      expect(bindingChecked(element('code', b))).toBe(true);
      expect(check('code', b, 'purple')).toEqual(['error code-invalid Observation.value']);
      expect(check('code', b, 'blue')).toEqual([]);
    }
  });

  test('purposes other than maximum / required / extensible are not checked; nothing to check on a plain preferred binding', () => {
    const b: ElementDefinitionBinding = {
      strength: 'preferred',
      valueSet: VS,
      extension: [{ url: AB, extension: [{ url: 'purpose', valueCode: 'ui' }, { url: 'valueSet', valueCanonical: VS_MAX }] }],
    };
    expect(additionalBindings(b)).toEqual([]);
    expect(bindingChecked(element('code', b))).toBe(false);
    expect(bindingChecked(element('code', { strength: 'example', valueSet: VS }))).toBe(false);
    expect(bindingChecked(element('code', required))).toBe(true);
  });
});

describe('a CodeableConcept with text only (HL7 validator: "No code provided")', () => {
  test('required: error; extensible: warning; with a coding: judged by membership; value set not loaded: nothing', () => {
    const textOnly = { text: 'Test' };
    expect(check('CodeableConcept', required, textOnly)).toEqual(['error code-invalid Observation.value']);
    expect(check('CodeableConcept', { strength: 'extensible', valueSet: VS }, textOnly)).toEqual(['warning code-invalid Observation.value']);
    expect(check('CodeableConcept', required, { text: 'Test', coding: [{ system: CS, code: 'red' }] })).toEqual([]);
    expect(check('CodeableConcept', { strength: 'required', valueSet: 'http://example.org/fhir/ValueSet/not-loaded' }, textOnly)).toEqual([]);
  });
});
