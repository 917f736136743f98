import { describe, expect, test } from '@jest/globals';
import { evalFhirPathTyped, getDataType, parseFhirPath, validateResource } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { periodOrdered, rangeOrdered, typeInvariants } from './datatype-invariants.js';
import { Validator } from './validator.js';

loadBaseDefinitions();
const validator = new Validator();
const invariantErrors = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.code === 'invariant').map((i) => `${i.severity} ${i.expression?.[0]} ${/^Constraint failed: ([\w-]+):/.exec(i.details?.text ?? '')?.[1]}`);
const UCUM = 'http://unitsofmeasure.org';
const obs = (extra: Record<string, unknown>): Resource =>
  ({ resourceType: 'Observation', status: 'final', code: { text: 'Test' }, ...extra }) as Resource;
const mr = (dispenseRequest: Record<string, unknown>): Resource =>
  ({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/example' },
    medicationCodeableConcept: { text: 'Test' },
    dispenseRequest,
  }) as Resource;

describe('data-type invariants wherever the type occurs (stock Medplum checks none of them there)', () => {
  // [rule, failing resource, passing resource, expected expression]
  const table: [string, Resource, Resource, string][] = [
    ['per-1', obs({ valuePeriod: { start: '2020-02-01', end: '2020-01-01' } }), obs({ valuePeriod: { start: '2020-01-01', end: '2020-02-01' } }), 'Observation.valuePeriod'],
    [
      'per-1',
      { resourceType: 'Patient', name: [{ family: 'Test', period: { start: '2021-01-02', end: '2021-01-01' } }] } as Resource,
      { resourceType: 'Patient', name: [{ family: 'Test', period: { start: '2021-01-01', end: '2021-01-02' } }] } as Resource,
      'Patient.name[0].period',
    ],
    ['qty-3', obs({ valueQuantity: { value: 1, code: 'mg' } }), obs({ valueQuantity: { value: 1, system: UCUM, code: 'mg' } }), 'Observation.valueQuantity'],
    ['sqty-1', mr({ quantity: { value: 1, comparator: '<' } }), mr({ quantity: { value: 1 } }), 'MedicationRequest.dispenseRequest.quantity'],
    ['drt-1', mr({ expectedSupplyDuration: { value: 1, system: 'http://example.org', code: 'd' } }), mr({ expectedSupplyDuration: { value: 1, system: UCUM, code: 'd' } }), 'MedicationRequest.dispenseRequest.expectedSupplyDuration'],
    ['rng-2', obs({ valueRange: { low: { value: 5 }, high: { value: 1 } } }), obs({ valueRange: { low: { value: 1 }, high: { value: 5 } } }), 'Observation.valueRange'],
    ['rat-1', obs({ valueRatio: { numerator: { value: 1 } } }), obs({ valueRatio: { numerator: { value: 1 }, denominator: { value: 2 } } }), 'Observation.valueRatio'],
    ['cpt-2', { resourceType: 'Patient', telecom: [{ value: '555' }] } as Resource, { resourceType: 'Patient', telecom: [{ system: 'phone', value: '555' }] } as Resource, 'Patient.telecom[0]'],
    ['ref-1', obs({ subject: { reference: '#nope' } }), obs({ contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } }), 'Observation.subject'],
    [
      'per-1',
      obs({ contained: [obs({ id: 'o', valuePeriod: { start: '2020-02-01', end: '2020-01-01' } })], hasMember: [{ reference: '#o' }] }),
      obs({ contained: [obs({ id: 'o', valuePeriod: { start: '2020-01-01', end: '2020-02-01' } })], hasMember: [{ reference: '#o' }] }),
      'Observation.contained[0].valuePeriod',
    ],
  ];
  test.each(table)('%s: failing at %#, passing', (rule, failing, passing, expression) => {
    expect(validateResource(failing).filter((i) => i.code === 'invariant')).toEqual([]); // stock: not checked
    expect(invariantErrors(validator.validate(failing))).toEqual([`error ${expression} ${rule}`]);
    expect(invariantErrors(validator.validate(passing))).toEqual([]);
  });
});

describe('periodOrdered (per-1 over precisions and zones)', () => {
  test.each([
    ['2020-01-01', '2020-01-01T10:00:00Z', true], // same day, finer end: not out of order
    ['2020-01-02', '2020-01-01T10:00:00Z', false],
    ['2020', '2020-06', true],
    ['2021', '2020-12-31', false],
    ['2020-01-01T10:00:00Z', '2020-01-01T10:00:00.5Z', true],
    ['2020-01-01T10:00:00Z', '2020-01-01T09:00:00+02:00', false], // 07:00Z
    ['2020-01-01T10:00:00+02:00', '2020-01-01T09:00:00Z', true], // 08:00Z
    ['not-a-date', '2020', true], // Medplum reports the format
  ])('%s .. %s → %s', (start, end, ok) => {
    expect(periodOrdered(start, end)).toBe(ok);
  });
});

describe('typeInvariants is decided per type and profile, once', () => {
  test('a Quantity profiled as SimpleQuantity brings sqty-1; a plain Quantity does not', () => {
    const mrSchema = getDataType('MedicationRequestDispenseRequest');
    const simple = typeInvariants(mrSchema.elements.quantity, 'Quantity')?.map((i) => i.key);
    expect(simple).toEqual(expect.arrayContaining(['qty-3', 'sqty-1']));
    const plain = typeInvariants(getDataType('Observation').elements['value[x]'], 'Quantity')?.map((i) => i.key);
    expect(plain).toEqual(['qty-3']);
    expect(typeInvariants(getDataType('Observation').elements['value[x]'], 'Quantity')).toBe(typeInvariants(getDataType('Observation').elements['value[x]'], 'Quantity'));
  });

  test('types with nothing but ele-1 / ext-1, and primitives, have none', () => {
    const obsElements = getDataType('Observation').elements;
    expect(typeInvariants(obsElements.code, 'CodeableConcept')).toBeUndefined();
    expect(typeInvariants(obsElements.extension, 'Extension')).toBeUndefined();
    expect(typeInvariants(obsElements.status, 'code')).toBeUndefined();
  });
});

describe('native invariants', () => {
  const types = ['Quantity', 'SimpleQuantity', 'MoneyQuantity', 'Age', 'Count', 'Distance', 'Duration', 'Attachment', 'ContactPoint', 'Expression', 'Period', 'Range', 'Ratio', 'Reference'];
  const compiled = (name: string) => typeInvariants({ description: '', path: 'x', min: 0, max: 1, type: [{ code: name }] }, name) ?? [];

  test('every R4 invariant of these types runs natively (its expression is the one the native was written for)', () => {
    for (const t of types) {
      const list = compiled(t);
      expect(list.length).toBeGreaterThan(0);
      expect(list.filter((i) => !i.native).map((i) => `${t}:${i.key}`)).toEqual([]);
    }
  });

  test('natives agree with Medplum FHIRPath on the same values (unit-free invariants)', () => {
    const samples: Record<string, unknown>[] = [
      {},
      { value: 1 },
      { value: 1, code: 'a' },
      { value: 1, code: 'a', system: UCUM },
      { value: 0, code: 'a', system: UCUM },
      { value: 1.5, code: '1', system: UCUM },
      { value: 2, code: '1', system: UCUM },
      { value: 1, code: 'USD', system: 'urn:iso:std:iso:4217' },
      { value: 1, code: 'd', system: 'http://example.org' },
      { code: 'd', system: UCUM },
      { comparator: '<', value: 1 },
      { data: 'VGVzdA==' },
      { data: 'VGVzdA==', contentType: 'text/plain' },
      { system: 'phone', value: '555' },
      { expression: 'true' },
      { reference: 'Patient/1' },
      { numerator: { value: 1 } },
      { numerator: { value: 1 }, denominator: { value: 2 } },
      { extension: [{ url: 'http://example.org' }] },
    ];
    for (const t of types.filter((x) => x !== 'Period' && x !== 'Range' && x !== 'Reference')) {
      for (const inv of compiled(t)) {
        const parsed = parseFhirPath(inv.expression);
        for (const v of samples) {
          if (t === 'ContactPoint' && typeof v.value === 'number') {
            continue; // ContactPoint.value is a string
          }
          const result = evalFhirPathTyped(parsed, [{ type: inv.type, value: v }], { '%ucum': { type: 'uri', value: UCUM } });
          const fhirpath = result.length === 1 && result[0].value === true; // as the HL7 validator: empty is not met
          expect(`${t}:${inv.key}:${JSON.stringify(v)}:${inv.native?.(v, undefined)}`).toBe(`${t}:${inv.key}:${JSON.stringify(v)}:${fhirpath}`);
        }
      }
    }
  });

  test('rng-2 is judged in one unit only', () => {
    expect(rangeOrdered({ value: 5, system: UCUM, code: 'mg' }, { value: 1, system: UCUM, code: 'mg' })).toBe(false);
    expect(rangeOrdered({ value: 5 }, { value: 1 })).toBe(false);
    expect(rangeOrdered({ value: 1, system: UCUM, code: 'g' }, { value: 5, system: UCUM, code: 'mg' })).toBe(true); // not converted
    expect(rangeOrdered({ value: 1 }, undefined)).toBe(true);
  });
});

describe('backbone elements are not data types', () => {
  test('Timing.repeat / QuestionnaireResponse.item constraints stay with Medplum (element constraints), not run twice here', () => {
    const element = (code: string) => ({ description: '', path: 'x', min: 0, max: 1, type: [{ code }] });
    expect(typeInvariants(element('TimingRepeat'), 'TimingRepeat')).toBeUndefined();
    expect(typeInvariants(element('QuestionnaireResponseItem'), 'QuestionnaireResponseItem')).toBeUndefined();
    expect(typeInvariants(element('Timing'), 'Timing')).toBeUndefined(); // its tim-* sit on Timing.repeat
  });
});
