import { describe, expect, test } from '@jest/globals';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import type { ExtensionVisit } from './element-walker.js';
import { contextAllows, tolerated, typeLineage } from './extension-check.js';

loadBaseDefinitions();

const sd = (...expressions: string[]): StructureDefinition =>
  ({
    resourceType: 'StructureDefinition',
    url: 'http://example.org/ext',
    type: 'Extension',
    context: expressions.map((expression) => ({ type: 'element', expression })),
  }) as StructureDefinition;
const at = (contextPath: string, contextType: string, onResource = false): ExtensionVisit => ({
  path: 'x',
  value: {},
  contextPath,
  contextType,
  onResource,
  modifier: false,
});

describe('extension contexts of kind element, resolved through base types: [context, allowed holder, refused holder]', () => {
  test.each([
    ['Quantity', at('Condition.onset[x]', 'Age'), at('Condition.onset[x]', 'Period')],
    ['Patient.birthDate', at('Patient.birthDate', 'date'), at('Patient.gender', 'code')],
    ['CanonicalResource', at('CodeSystem', 'CodeSystem', true), at('Patient', 'Patient', true)],
    ['MetadataResource', at('ValueSet', 'ValueSet', true), at('Observation', 'Observation', true)],
    ['DomainResource', at('Patient', 'Patient', true), at('Bundle', 'Bundle', true)],
    ['Resource', at('Bundle', 'Bundle', true), at('Patient.name', 'HumanName')],
    ['BackboneElement', at('Dosage', 'Dosage'), at('Patient.name', 'HumanName')],
  ])('%s', (context, allowed, refused) => {
    expect(contextAllows(sd(context), allowed)).toBe(true);
    expect(contextAllows(sd(context), refused)).toBe(false);
  });

  test('Element admits any element, primitives too', () => {
    expect(contextAllows(sd('Element'), at('Patient.birthDate', 'date'))).toBe(true);
  });

  test('typeLineage is cached per type', () => {
    expect(typeLineage('Age', false)).toBe(typeLineage('Age', false));
    expect([...typeLineage('Age', false)]).toEqual(['Age', 'Element', 'Quantity']);
  });
});

describe('unknown extensions under the `error` policy', () => {
  test('an unknown URL is an error, on a primitive too; example / DICOM / HL7 tools URLs stay warnings (HL7 validator: allowUnknownExtension)', async () => {
    const { Validator } = await import('./validator.js');
    const validator = new Validator({ unknownExtensions: 'error' });
    const patient = (url: string) =>
      ({ resourceType: 'Patient', birthDate: '1975', _birthDate: { extension: [{ url, valueString: 'Test' }] } }) as never;
    const found = (url: string): string[] =>
      (validator.validate(patient(url)).issue ?? []).filter((i) => i.code === 'extension').map((i) => `${i.severity} ${i.expression?.[0]}`);
    expect(found('http://validitron.example.net/fhir/StructureDefinition/age')).toEqual(['error Patient.birthDate.extension[0]']);
    expect(found('http://example.org/fhir/StructureDefinition/age')).toEqual(['warning Patient.birthDate.extension[0]']);
    expect(found('http://hl7.org/fhir/tools/StructureDefinition/nope')).toEqual(['warning Patient.birthDate.extension[0]']);
    expect(tolerated('http://dicom.nema.org/x')).toBe(true);
    expect(tolerated('https://kap-fhir.org/fhir/StructureDefinition/x')).toBe(false);
  });
});

describe('the content of unknown extensions and of named parts', () => {
  test('walked against the base Extension definition: data-type invariants apply; valid content passes', async () => {
    const { Validator } = await import('./validator.js');
    const validator = new Validator();
    const errors = (extension: unknown[]): string[] =>
      (validator.validate({ resourceType: 'Patient', extension } as never).issue ?? [])
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.code} ${i.expression?.[0]}`);
    const url = 'http://example.org/fhir/StructureDefinition/not-loaded';
    expect(errors([{ url, valueQuantity: { value: 1, code: 'mg' } }])).toEqual(['invariant Patient.extension[0].valueQuantity']);
    expect(errors([{ url, valueQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: 'mg' } }])).toEqual([]);
    expect(errors([{ url, extension: [{ url: 'when', valuePeriod: { start: '2020-02-01', end: '2020-01-01' } }] }])).toEqual([
      'invariant Patient.extension[0].extension[0].valuePeriod',
    ]);
  });
});
