import { describe, expect, test } from '@jest/globals';
import { getDataType } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { walkResource, type ElementVisit, type ExtensionVisit } from './element-walker.js';

loadBaseDefinitions();

function walk(resource: Record<string, unknown>): { values: ElementVisit[]; extensions: ExtensionVisit[] } {
  const values: ElementVisit[] = [];
  const extensions: ExtensionVisit[] = [];
  walkResource(resource, getDataType(String(resource.resourceType)), { value: (v) => values.push(v), extension: (e) => extensions.push(e) });
  return { values, extensions };
}

describe('which values the walker hands over (decided per element)', () => {
  test('values of types with root invariants, bound values and References; not plain strings or unbound CodeableConcepts', () => {
    const patient = {
      resourceType: 'Patient',
      name: [{ family: 'Test', given: ['Example'], period: { start: '2020-01-01' } }],
      gender: 'female',
      telecom: [{ system: 'phone', value: '555' }],
      maritalStatus: { text: 'Test' },
      managingOrganization: { reference: 'Organization/1' },
    };
    const seen = walk(patient).values.map((v) => `${v.path}:${v.type}:${(v.invariants ?? []).map((i) => i.key).join(',')}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'Patient.name[0].period:Period:per-1',
        'Patient.gender:code:',
        'Patient.telecom[0]:ContactPoint:cpt-2',
        'Patient.managingOrganization:Reference:ref-1',
      ])
    );
    expect(seen.some((s) => s.startsWith('Patient.name[0].family') || s.startsWith('Patient.name[0].given'))).toBe(false);
  });

  test('a SimpleQuantity element carries sqty-1', () => {
    const mr = { resourceType: 'MedicationRequest', dispenseRequest: { quantity: { value: 1 } } };
    const visit = walk(mr).values.find((v) => v.path === 'MedicationRequest.dispenseRequest.quantity');
    expect(visit?.invariants?.map((i) => i.key)).toEqual(expect.arrayContaining(['qty-3', 'sqty-1']));
  });

  test('every visit knows the resource the walk started from', () => {
    const obs = { resourceType: 'Observation', valuePeriod: { start: '2020' } };
    expect(walk(obs).values.every((v) => v.root === obs)).toBe(true);
  });
});

describe('extensions on primitives', () => {
  test('`_birthDate` and `_given[i]` extensions are handed over in the primitive element\'s context', () => {
    const patient = {
      resourceType: 'Patient',
      birthDate: '1980-01-01',
      _birthDate: { extension: [{ url: 'http://example.org/a', valueString: 'x' }] },
      name: [{ given: ['A', 'B'], _given: [null, { extension: [{ url: 'http://example.org/b', valueString: 'y' }] }] }],
    };
    const exts = walk(patient).extensions.map((e) => `${e.path}|${e.contextPath}|${e.contextType}|${e.onResource}`);
    expect(exts).toEqual([
      'Patient.birthDate.extension[0]|Patient.birthDate|date|false',
      'Patient.name[0].given[1].extension[0]|HumanName.given|string|false',
    ]);
  });

  test('a choice primitive (`_valueString`) names the instance key', () => {
    const obs = { resourceType: 'Observation', valueString: 'x', _valueString: { extension: [{ url: 'http://example.org/a', valueString: 'x' }] } };
    expect(walk(obs).extensions.map((e) => `${e.path}|${e.contextType}`)).toEqual(['Observation.valueString.extension[0]|string']);
  });

  test('an unknown `_key` is left to Medplum', () => {
    expect(walk({ resourceType: 'Patient', _nope: { extension: [{ url: 'http://example.org/a' }] } }).extensions).toEqual([]);
  });
});

describe('contained resources', () => {
  test('are walked against their own type, with the container as root; Bundle entries are not entered', () => {
    const container = {
      resourceType: 'Observation',
      contained: [{ resourceType: 'Patient', id: 'p', gender: 'female', extension: [{ url: 'http://example.org/a' }] }],
    };
    const { values, extensions } = walk(container);
    const gender = values.find((v) => v.path === 'Observation.contained[0].gender');
    expect(gender?.root).toBe(container);
    expect(extensions.map((e) => `${e.path}|${e.contextType}|${e.onResource}`)).toEqual(['Observation.contained[0].extension[0]|Patient|true']);
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', gender: 'female' } }] };
    expect(walk(bundle).values.some((v) => v.path.includes('entry[0].resource.'))).toBe(false);
  });
});

describe('primitive fixed values under a choice, checked by the walker at the instance path', () => {
  test('the KAP administration rate units (rate[x].numerator.code fixed to mg): failing and passing', async () => {
    const { readFileSync } = await import('node:fs');
    const { Validator, kapPackageDir } = await import('./validator.js');
    const { kapProfile } = await import('../terminology/systems.js');
    const validator = new Validator();
    const ma = JSON.parse(readFileSync(`${kapPackageDir()}/example/MedicationAdministration-ExampleAdministration.json`, 'utf8'));
    const withRate = (numeratorCode: string): Resource => {
      const copy = structuredClone(ma);
      copy.dosage.rateRatio = {
        numerator: { value: 1, system: 'http://unitsofmeasure.org', code: numeratorCode },
        denominator: { value: 1, system: 'http://unitsofmeasure.org', code: 'min' },
      };
      return copy;
    };
    const errors = (r: Resource): string[] =>
      (validator.validate(r, { profile: kapProfile('kap-ketamine-administration') }).issue ?? [])
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.code} ${i.expression?.[0]}`);
    expect(errors(withRate('g'))).toEqual(['value MedicationAdministration.dosage.rateRatio.numerator.code']);
    expect(errors(withRate('mg'))).toEqual([]);
  });
});

describe('JSON shapes FHIR forbids and Medplum lets pass', () => {
  test('empty arrays (the property) and empty strings, at any depth; non-empty ones pass', () => {
    const found: string[] = [];
    const visitor = { value: () => undefined, extension: () => undefined, malformed: (path: string, p: string) => found.push(`${p} ${path}`) };
    const bad = { resourceType: 'Observation', category: [{ coding: [] }], identifier: [], note: [{ text: '' }], id: '' };
    walkResource(bad, getDataType('Observation'), visitor);
    expect(found.sort()).toEqual(['empty-array Observation.category[0].coding', 'empty-array Observation.identifier', 'empty-string Observation.note[0].text']);
    found.length = 0;
    walkResource({ resourceType: 'Observation', category: [{ coding: [{ code: 'x' }] }], note: [{ text: 'Test' }] }, getDataType('Observation'), visitor);
    expect(found).toEqual([]);
  });
});
