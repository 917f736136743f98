import { describe, expect, test } from '@jest/globals';
import { getAllDataTypes, parseStructureDefinition, validateTypedValue, type InternalSchemaElement } from '@medplum/core';
import type { ElementDefinition, OperationOutcomeIssue, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { annotateProfile, type ProfileValueVisit } from './profile-value-check.js';
import { checkAbsentSlices, checkSliceContents, fixTypeDiscriminators } from './slice-check.js';
import { Validator } from './validator.js';
import { handWrittenProfile } from '../../test/helpers/hand-written-profile.js';

loadBaseDefinitions();

const UCUM = 'http://unitsofmeasure.org';
const SYSTOLIC = { coding: [{ system: 'http://loinc.org', code: '8480-6' }] };

const profile = handWrittenProfile;

const bp = profile('sc-bp', 'Observation', [
  { id: 'Observation.status', path: 'Observation.status', min: 1, max: '1', type: [{ code: 'code' }] },
  { id: 'Observation.code', path: 'Observation.code', min: 1, max: '1', type: [{ code: 'CodeableConcept' }] },
  {
    id: 'Observation.value[x]',
    path: 'Observation.value[x]',
    min: 0,
    max: '1',
    type: [{ code: 'Quantity' }, { code: 'string' }],
    slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'closed' },
  },
  { id: 'Observation.value[x]:valueQuantity', path: 'Observation.value[x]', sliceName: 'valueQuantity', min: 0, max: '1', type: [{ code: 'Quantity' }] },
  { id: 'Observation.value[x]:valueQuantity.unit', path: 'Observation.value[x].unit', min: 1, max: '1', type: [{ code: 'string' }] },
  {
    id: 'Observation.component',
    path: 'Observation.component',
    min: 0,
    max: '*',
    type: [{ code: 'BackboneElement' }],
    slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'open' },
  },
  { id: 'Observation.component.code', path: 'Observation.component.code', min: 1, max: '1', type: [{ code: 'CodeableConcept' }] },
  { id: 'Observation.component.value[x]', path: 'Observation.component.value[x]', min: 0, max: '1', type: [{ code: 'Quantity' }, { code: 'string' }] },
  { id: 'Observation.component.dataAbsentReason', path: 'Observation.component.dataAbsentReason', min: 0, max: '1', type: [{ code: 'CodeableConcept' }] },
  { id: 'Observation.component.interpretation', path: 'Observation.component.interpretation', min: 0, max: '*', type: [{ code: 'CodeableConcept' }] },
  {
    id: 'Observation.component:systolic',
    path: 'Observation.component',
    sliceName: 'systolic',
    min: 1,
    max: '1',
    type: [{ code: 'BackboneElement' }],
    constraint: [{ key: 'sc-1', severity: 'error', human: 'A systolic component has a value or a reason', expression: 'value.exists() or dataAbsentReason.exists()' }],
  },
  { id: 'Observation.component:systolic.code', path: 'Observation.component.code', min: 1, max: '1', type: [{ code: 'CodeableConcept' }], patternCodeableConcept: SYSTOLIC },
  {
    id: 'Observation.component:systolic.value[x]',
    path: 'Observation.component.value[x]',
    min: 0,
    max: '1',
    type: [{ code: 'Quantity' }],
    maxValueQuantity: { value: 300, system: UCUM, code: 'mm[Hg]' },
  },
  { id: 'Observation.component:systolic.value[x].code', path: 'Observation.component.value[x].code', min: 1, max: '1', type: [{ code: 'code' }], fixedCode: 'mm[Hg]' },
  {
    id: 'Observation.component:systolic.interpretation',
    path: 'Observation.component.interpretation',
    min: 0,
    max: '*',
    type: [{ code: 'CodeableConcept' }],
    binding: { strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/observation-interpretation' },
  },
]);

const bundle = profile('sc-bundle', 'Bundle', [
  { id: 'Bundle.type', path: 'Bundle.type', min: 1, max: '1', type: [{ code: 'code' }] },
  {
    id: 'Bundle.entry',
    path: 'Bundle.entry',
    min: 0,
    max: '*',
    type: [{ code: 'BackboneElement' }],
    slicing: { discriminator: [{ type: 'type', path: 'resource' }], rules: 'open' },
  },
  { id: 'Bundle.entry.fullUrl', path: 'Bundle.entry.fullUrl', min: 0, max: '1', type: [{ code: 'uri' }] },
  { id: 'Bundle.entry.resource', path: 'Bundle.entry.resource', min: 0, max: '1', type: [{ code: 'Resource' }] },
  { id: 'Bundle.entry:patient', path: 'Bundle.entry', sliceName: 'patient', min: 1, max: '1', type: [{ code: 'BackboneElement' }] },
  { id: 'Bundle.entry:patient.resource', path: 'Bundle.entry.resource', min: 1, max: '1', type: [{ code: 'Patient' }] },
]);

const bpSchema = annotateProfile(bp, fixTypeDiscriminators(parseStructureDefinition(bp)));
const componentElement = bpSchema.elements.component;
const valueElement = bpSchema.elements['value[x]'];

function components(values: unknown[]): { issues: OperationOutcomeIssue[]; visits: ProfileValueVisit[] } {
  const issues: OperationOutcomeIssue[] = [];
  const visits: ProfileValueVisit[] = [];
  checkSliceContents(componentElement, componentElement.type[0].code, values, 'Observation.component', issues, (v) => visits.push(v));
  return { issues, visits };
}
const summary = (issues: OperationOutcomeIssue[]): string[] => issues.map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`);
const mmHg = (value: number): object => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });

describe('checkSliceContents: what a value matched to a slice must carry', () => {
  test.each([
    ['fixed unit code differs', [{ code: SYSTOLIC, valueQuantity: { value: 120, system: UCUM, code: 'kPa' } }], ['error structure Observation.component[0].valueQuantity.code']],
    ['fixed unit code missing (min 1 in the slice)', [{ code: SYSTOLIC, valueQuantity: { value: 120, system: UCUM } }], ['error structure Observation.component[0].valueQuantity.code']],
    ['invariant declared on the slice not met', [{ code: SYSTOLIC }], ['error invariant Observation.component[0]']],
    ['second value: its index in the path', [{ code: { text: 'Test' } }, { code: SYSTOLIC }], ['error invariant Observation.component[1]']],
  ])('%s', (_name, values, expected) => {
    expect(summary(components(values).issues)).toEqual(expected);
  });

  test.each([
    ['systolic as the slice wants it', [{ code: SYSTOLIC, valueQuantity: mmHg(120) }]],
    ['invariant met by a data-absent reason', [{ code: SYSTOLIC, dataAbsentReason: { text: 'Test' } }]],
    ['a component of no slice is not held to the slice (open slicing)', [{ code: { text: 'Test' }, valueString: 'Test' }]],
  ])('%s: no issue', (_name, values) => {
    expect(components(values).issues).toEqual([]);
  });

  test('the invariant message names the rule, not the value', () => {
    const [i] = components([{ code: SYSTOLIC }]).issues;
    expect(i.details?.text).toBe('Constraint sc-1 not met: A systolic component has a value or a reason');
  });

  test("values under a slice's own binding or min/maxValue go to the value checks, with the slice's definition", () => {
    const { visits } = components([{ code: SYSTOLIC, valueQuantity: mmHg(120), interpretation: [{ text: 'Test' }] }]);
    expect(visits.map((v) => [v.path, v.type, v.element.binding?.strength ?? null])).toEqual([
      ['Observation.component[0].valueQuantity', 'Quantity', null],
      ['Observation.component[0].interpretation[0]', 'CodeableConcept', 'required'],
    ]);
  });

  test('nothing goes to the value checks for a value of no slice', () => {
    expect(components([{ code: { text: 'Test' }, interpretation: [{ text: 'Test' }] }]).visits).toEqual([]);
  });

  test('a single-valued element sliced by type: the value is its own path; closed slicing rejects an unmatched type', () => {
    const issues: OperationOutcomeIssue[] = [];
    checkSliceContents(valueElement, 'Quantity', [{ value: 1 }], 'Observation.valueQuantity', issues);
    expect(summary(issues)).toEqual(['error structure Observation.valueQuantity.unit']);
    const none: OperationOutcomeIssue[] = [];
    checkSliceContents(valueElement, 'Quantity', [{ value: 1, unit: 'kg' }], 'Observation.valueQuantity', none);
    expect(none).toEqual([]);
    const closed: OperationOutcomeIssue[] = [];
    checkSliceContents(valueElement, 'string', ['Test'], 'Observation.valueString', closed);
    expect(summary(closed)).toEqual(['error structure Observation.valueString']);
  });
});

describe('checkAbsentSlices: a required slice when the sliced element is absent', () => {
  test.each([
    ['no component at all', { resourceType: 'Observation' }, ['error structure Observation.component']],
    ['an empty component list', { resourceType: 'Observation', component: [] }, ['error structure Observation.component']],
    ['components present (Medplum counts them)', { resourceType: 'Observation', component: [{ code: { text: 'Test' } }] }, []],
  ])('%s', (_name, resource, expected) => {
    const issues: OperationOutcomeIssue[] = [];
    checkAbsentSlices(resource, bpSchema, 'Observation', issues);
    expect(summary(issues)).toEqual(expected);
  });

  test('a data-type child the profile slices (code.coding), in each present holder; not when the holder is absent', () => {
    const sd = profile('sc-coded', 'Observation', [
      { id: 'Observation.code', path: 'Observation.code', min: 0, max: '1', type: [{ code: 'CodeableConcept' }] },
      {
        id: 'Observation.code.coding',
        path: 'Observation.code.coding',
        min: 0,
        max: '*',
        type: [{ code: 'Coding' }],
        slicing: { discriminator: [{ type: 'pattern', path: '$this' }], rules: 'open' },
      },
      { id: 'Observation.code.coding:loinc', path: 'Observation.code.coding', sliceName: 'loinc', min: 1, max: '1', type: [{ code: 'Coding' }], patternCoding: SYSTOLIC.coding[0] },
    ]);
    const schema = parseStructureDefinition(sd);
    const run = (resource: Record<string, unknown>): string[] => {
      const issues: OperationOutcomeIssue[] = [];
      checkAbsentSlices(resource, schema, 'Observation', issues);
      return summary(issues);
    };
    expect(run({ resourceType: 'Observation', code: { text: 'Test' } })).toEqual(['error structure Observation.code.coding']);
    expect(run({ resourceType: 'Observation' })).toEqual([]);
    expect(run({ resourceType: 'Observation', code: { coding: [{ code: 'x' }] } })).toEqual([]); // present: Medplum counts it
  });

  test("Medplum's wording, so that its own count issue and this one dedupe", () => {
    const issues: OperationOutcomeIssue[] = [];
    checkAbsentSlices({ resourceType: 'Observation' }, bpSchema, 'Bundle.entry[0].resource', issues);
    expect(issues[0]).toMatchObject({ expression: ['Bundle.entry[0].resource.component'], details: { text: "Incorrect number of values provided for slice 'systolic': expected 1..1, but found 0" } });
  });
});

describe('fixTypeDiscriminators: a type discriminator on a child path', () => {
  const entry = { fullUrl: 'urn:uuid:3f1c2b6a-0d4e-4f5a-9b7c-1e2d3c4b5a69', resource: { resourceType: 'Patient' } };
  const basic = { fullUrl: 'urn:uuid:3f1c2b6a-0d4e-4f5a-9b7c-1e2d3c4b5a70', resource: { resourceType: 'Basic', code: { text: 'Test' } } };
  const countIssues = (fixed: boolean, entries: object[]): string[] => {
    const schema = parseStructureDefinition(bundle);
    if (fixed) {
      fixTypeDiscriminators(schema);
    }
    const entryElement = schema.elements.entry as InternalSchemaElement;
    const slice = entryElement.slicing?.slices[0];
    const key = `sc-bundle-${fixed ? 'fixed' : 'stock'}`;
    return [slice?.type?.[0]?.code ?? '', ...validateCount(key, schema, entries)];
  };

  test('stock Medplum never counts an entry for the slice (it compares the entry type, not the resource type)', () => {
    expect(countIssues(false, [entry])).toEqual(['BundleEntry', "Incorrect number of values provided for slice 'patient': expected 1..1, but found 0"]);
  });

  test('fixed: the Patient entry counts, a Basic entry does not', () => {
    expect(countIssues(true, [entry, basic])).toEqual(['Patient']);
    expect(countIssues(true, [basic])).toEqual(['Patient', "Incorrect number of values provided for slice 'patient': expected 1..1, but found 0"]);
  });

  test('through the Validator', () => {
    const validator = new Validator({ kapPackage: false, resources: [bundle] });
    const errors = (entries?: object[]): string[] =>
      summary((validator.validate({ resourceType: 'Bundle', type: 'collection', ...(entries ? { entry: entries } : {}) } as never, { profile: bundle.url }).issue ?? []).filter((i) => i.severity === 'error'));
    expect(errors([entry])).toEqual([]);
    expect(errors([basic])).toEqual(['error structure Bundle.entry']);
    expect(errors()).toEqual(['error structure Bundle.entry']); // no entry at all: the required slice is still missing
  });
});

describe('fixTypeDiscriminators: the resource type a profile on Resource names', () => {
  test('entry.resource typed Resource with the base Patient profile matches Patient entries', () => {
    const sd = structuredClone(bundle);
    const last = sd.snapshot?.element.at(-1) as ElementDefinition;
    last.type = [{ code: 'Resource', profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }];
    const schema = fixTypeDiscriminators(parseStructureDefinition(sd));
    expect(schema.elements.entry.slicing?.slices[0].type?.map((t) => t.code)).toEqual(['Patient']);
  });

  test('a profile of another party on Resource is left as it is', () => {
    const sd = structuredClone(bundle);
    const last = sd.snapshot?.element.at(-1) as ElementDefinition;
    last.type = [{ code: 'Resource', profile: ['http://example.org/fhir/StructureDefinition/my-patient'] }];
    const schema = fixTypeDiscriminators(parseStructureDefinition(sd));
    expect(schema.elements.entry.slicing?.slices[0].type?.map((t) => t.code)).toEqual(['Resource']);
  });
});

describe('closed slicing', () => {
  const closed = (discriminatorPath: string): InternalSchemaElement => {
    const sd = structuredClone(bp);
    const component = sd.snapshot?.element.find((e) => e.id === 'Observation.component') as ElementDefinition;
    component.slicing = { discriminator: [{ type: 'pattern', path: discriminatorPath }], rules: 'closed' };
    return parseStructureDefinition(sd).elements.component;
  };
  const run = (element: InternalSchemaElement, values: unknown[]): string[] => {
    const issues: OperationOutcomeIssue[] = [];
    checkSliceContents(element, element.type[0].code, values, 'Observation.component', issues);
    return summary(issues);
  };

  test('a value of no slice is an error; a value of a slice is not', () => {
    const element = closed('code');
    expect(run(element, [{ code: { text: 'Test' } }])).toEqual(['error structure Observation.component[0]']);
    expect(run(element, [{ code: SYSTOLIC, valueQuantity: mmHg(120) }])).toEqual([]);
  });

  test('not reported when a slice cannot be told by what this check matches on (discriminator path without a pattern)', () => {
    expect(run(closed('code.text'), [{ code: { text: 'Test' } }])).toEqual([]);
  });
});

describe('through the Validator: slices of an Observation profile', () => {
  const validator = new Validator({ kapPackage: false, resources: [bp] });
  const errors = (extra: object): string[] =>
    summary(
      (validator.validate({ resourceType: 'Observation', status: 'final', code: { text: 'Test' }, ...extra } as never, { profile: bp.url }).issue ?? []).filter(
        (i) => i.severity === 'error'
      )
    );

  test.each([
    ['valid systolic', { component: [{ code: SYSTOLIC, valueQuantity: mmHg(120) }] }, []],
    ['systolic above the slice maxValue', { component: [{ code: SYSTOLIC, valueQuantity: mmHg(400) }] }, ['error invalid Observation.component[0].valueQuantity']],
    [
      "code outside the slice's required value set",
      { component: [{ code: SYSTOLIC, valueQuantity: mmHg(120), interpretation: [{ coding: [{ system: 'http://example.org/fhir/CodeSystem/test', code: 'zz' }] }] }] },
      ['error code-invalid Observation.component[0].interpretation[0]'],
    ],
    ['slice invariant', { component: [{ code: SYSTOLIC }] }, ['error invariant Observation.component[0]']],
    ['required slice, component absent', {}, ['error structure Observation.component']],
    ['value[x] type slice child', { component: [{ code: SYSTOLIC, valueQuantity: mmHg(120) }], valueQuantity: { value: 1 } }, ['error structure Observation.valueQuantity.unit']],
  ])('%s', (_name, extra, expected) => {
    expect(errors(extra)).toEqual(expected);
  });
});

/** Medplum's own validator on a Bundle against the parsed schema (registered under a type key, as conformance-store does): its issues. */
function validateCount(key: string, schema: ReturnType<typeof parseStructureDefinition>, entries: object[]): string[] {
  getAllDataTypes()[key] = schema;
  try {
    return validateTypedValue({ type: key, value: { resourceType: 'Bundle', type: 'collection', entry: entries } }).map((i) => i.details?.text ?? '');
  } catch (err) {
    return ((err as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome?.issue ?? []).map((i) => i.details?.text ?? '');
  }
}
