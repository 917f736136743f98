import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { getDataType, validateResource } from '@medplum/core';
import type { Bundle, Observation, OperationOutcome, Patient, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { getBaseConformance } from './base-conformance.js';
import { kapExtension, kapProfile } from '../terminology/systems.js';
import type { UnknownExtensionPolicy } from './extension-check.js';
import { walkerElements } from './lean-schema.js';
import { kapPackageDir, Validator } from './validator.js';

type Json = Record<string, any>;

// The stock validateResource below needs the R4 definitions (a Validator loads them on its first validation).
loadBaseDefinitions();
const validator = new Validator();
const example = (name: string): Resource =>
  JSON.parse(readFileSync(`${kapPackageDir()}/example/${name}.json`, 'utf8')) as Resource;
const issues = (o: OperationOutcome): string[] =>
  (o.issue ?? []).filter((i) => i.severity !== 'information').map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`);

describe('gaps of Medplum 5, each checked first against stock validateResource', () => {
  test('required binding of a base value set (Patient.gender)', () => {
    const patient: Patient = { resourceType: 'Patient', gender: 'banana' as Patient['gender'] };
    expect(validateResource(patient)).toEqual([]); // stock: not checked
    expect(issues(validator.validate(patient))).toEqual(['error code-invalid Patient.gender']);
  });

  test('extension value type against its definition', () => {
    const patient: Patient = { resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueBoolean: true }] };
    expect(validateResource(patient)).toEqual([]);
    expect(issues(validator.validate(patient))).toEqual(['error structure Patient.extension[0].valueBoolean']);
  });

  test('meta.profile selects the profile; an unknown one is a warning "could not be found, not checked" (HL7 validator), an unknown --profile an error', () => {
    const patient: Patient = { resourceType: 'Patient', meta: { profile: ['https://example.org/StructureDefinition/nope'] } };
    const o = validator.validate(patient);
    expect(issues(o)).toEqual(['warning not-supported Patient.meta.profile[0]']);
    expect(o.issue?.[0].details?.text).toMatch(/could not be found, not checked/);
    expect(issues(validator.validate({ resourceType: 'Patient' }, { profile: 'https://example.org/StructureDefinition/nope' }))).toEqual([
      'error not-supported Patient',
    ]);
    const declared = { resourceType: 'Patient', meta: { profile: [kapProfile('kap-patient')] } } as Patient;
    expect(issues(validator.validate(declared))).toContain('error structure Patient.identifier');
  });

  test('the profile option applies when meta.profile is absent; base R4 otherwise', () => {
    const patient: Patient = { resourceType: 'Patient' };
    expect(issues(validator.validate(patient))).toEqual([]);
    expect(issues(validator.validate(patient, { profile: kapProfile('kap-patient') }))).toContain('error structure Patient.identifier');
    expect(issues(validator.validate(patient, { profile: kapProfile('kap-episode') }))).toEqual(['error invalid Patient']);
  });
});

describe('references outside a Bundle', () => {
  test('a literal reference of a type the target profiles do not allow is an error (Medplum: warning, or nothing for custom profiles)', () => {
    const observation: Observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Organization/1' } };
    expect(issues(validator.validate(observation))).toEqual(['error invalid Observation.subject']);
    const ma = example('MedicationAdministration-ExampleAdministration');
    expect(issues(validator.validate({ ...ma, request: { reference: 'ServiceRequest/1' } } as Resource))).toEqual([
      'error invalid MedicationAdministration.request',
    ]);
  });
});

describe('unknown extensions follow the policy', () => {
  // not an example domain: under `error` H1's extension-check keeps those (example.org, …) warnings, as the HL7 validator does
  const patient: Patient = { resourceType: 'Patient', extension: [{ url: 'https://partner.kap-fhir.test/ext/unknown', valueString: 'x' }] };
  const cases: [UnknownExtensionPolicy, string[]][] = [
    ['ignore', []],
    ['warning', ['warning extension Patient.extension[0]']],
    ['error', ['error extension Patient.extension[0]']],
  ];
  test.each(cases)('%s', (policy, expected) => {
    expect(issues(new Validator({ unknownExtensions: policy }).validate(patient))).toEqual(expected);
  });
});

describe('Bundle', () => {
  const patient = example('Patient-ExamplePatient') as Patient;
  const hr = example('Observation-ExampleHeartRate') as Observation;
  const bundle = (subject: string, entries: Bundle['entry']): Bundle => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:0a000000-0000-4000-8000-000000000001', resource: { ...hr, id: undefined, partOf: undefined, encounter: undefined, subject: { reference: subject } }, request: { method: 'POST', url: 'Observation' } },
      ...(entries ?? []),
    ],
  });
  const patientEntry = { fullUrl: 'urn:uuid:0a000000-0000-4000-8000-000000000002', resource: { ...patient, id: undefined }, request: { method: 'PUT' as const, url: 'Patient?identifier=https%3A%2F%2Fkap-fhir.org%2Ffhir%2Fclinic%2Fexample-clinic%7Cp1' } };

  test('references resolve by fullUrl and by conditional request url; issues are rooted at the entry', () => {
    expect(issues(validator.validate(bundle('urn:uuid:0a000000-0000-4000-8000-000000000002', [patientEntry])))).toEqual([]);
    expect(issues(validator.validate(bundle('Patient?identifier=https://kap-fhir.org/fhir/clinic/example-clinic|p1', [patientEntry])))).toEqual([]);
    const broken = bundle('urn:uuid:0a000000-0000-4000-8000-000000000002', [patientEntry]);
    (broken.entry?.[0].resource as Observation).status = 'nope' as Observation['status'];
    expect(issues(validator.validate(broken))).toEqual(['error code-invalid Bundle.entry[0].resource.status']);
  });

  test('an unresolvable urn:uuid reference is an error', () => {
    expect(issues(validator.validate(bundle('urn:uuid:0a000000-0000-4000-8000-000000000009', [patientEntry])))).toEqual([
      'error not-found Bundle.entry[0].resource.subject',
    ]);
  });
});

describe('profile schemas', () => {
  test('core vital-signs slices (nested re-slicing) are matched: a valid core bp Observation passes', () => {
    const bp = example('Observation-ExampleBloodPressure') as Observation;
    const core = { ...bp, extension: undefined, meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] } };
    expect(issues(validator.validate(core))).toEqual([]);
    const noDiastolic = { ...core, component: core.component?.slice(0, 1) };
    expect(issues(validator.validate(noDiastolic))).toContain('error structure Observation.component');
  });

  test('the lean schema keeps every constraint: with Medplum, or (min only) with the walker', () => {
    const loaded = validator.store.getProfile(kapProfile('kap-ketamine-administration'));
    const dosage = loaded?.schema.innerTypes.find((t) => t.path === 'MedicationAdministration.dosage');
    expect(Object.keys(dosage?.elements ?? {})).toEqual(expect.arrayContaining(['dose.code', 'dose.system', 'route']));
    expect(Object.keys(dosage?.elements ?? {})).not.toContain('dose.id');
    // min-only children, and primitive fixed values under a choice (the rate's units), move to the walker (lean-schema.ts)
    expect(Object.keys(walkerElements(dosage?.elements ?? {}))).toEqual([
      'dose.value',
      'rate[x].numerator.system',
      'rate[x].numerator.code',
      'rate[x].denominator.system',
      'rate[x].denominator.code',
    ]);
    expect(getDataType('MedicationAdministration').elements['dosage']).toBeDefined();
    const ma = example('MedicationAdministration-ExampleAdministration') as Json;
    delete ma.dosage.dose.value;
    delete ma.identifier[0].system;
    expect(issues(validator.validate(ma as Resource)).sort()).toEqual([
      'error structure MedicationAdministration.dosage.dose.value',
      'error structure MedicationAdministration.identifier[0].system',
    ]);
  });

  test('every KAP StructureDefinition and base extension definition is known to the store', () => {
    const sds = validator.store.packageProfileUrls().map((u) => validator.store.getStructureDefinition(u) as StructureDefinition);
    expect(sds.length).toBeGreaterThan(20);
    for (const sd of sds) {
      expect(validator.store.getProfile(sd.url)?.schema.type).toBe(sd.type);
    }
    expect(getBaseConformance().structureDefinitions.get('http://hl7.org/fhir/StructureDefinition/patient-birthPlace')?.type).toBe('Extension');
    expect(validator.store.getStructureDefinition(kapExtension('kap-dosing-phase'))?.type).toBe('Extension');
  });
});

describe('never a crash (issue 15): malformed input and internal failures become issues', () => {
  const malformed: [string, unknown][] = [
    ['meta a string', { resourceType: 'Patient', meta: 'x' }],
    ['meta.profile not a list', { resourceType: 'Patient', meta: { profile: 'x' } }],
    ['meta.profile entries not strings', { resourceType: 'Patient', meta: { profile: [null, 5] } }],
    ['contained not a list', { resourceType: 'Patient', contained: 5 }],
    ['contained entries not resources', { resourceType: 'Patient', contained: [null, 5, { resourceType: 'Nope' }] }],
    ['extension entries null', { resourceType: 'Patient', extension: [null] }],
    ['primitive extension not an object', { resourceType: 'Patient', _birthDate: 5 }],
    ['coding not a list', { resourceType: 'Observation', status: 'final', code: { coding: 'x' } }],
    ['vital-sign code with broken components', { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, component: [null, 5, {}] }],
    ['Bundle.entry a string', { resourceType: 'Bundle', type: 'collection', entry: 'x' }],
    ['Bundle entries null / numbers / unknown types', { resourceType: 'Bundle', type: 'collection', entry: [null, 5, { resource: 5 }, { resource: { resourceType: 'Nope' } }] }],
    ['Bundle.type a number, links broken', { resourceType: 'Bundle', type: 5, link: [null, { relation: 5 }] }],
  ];
  test.each(malformed)('%s: an OperationOutcome, no throw, no fatal', (_name, resource) => {
    const o = validator.validate(resource as Resource);
    expect(o.resourceType).toBe('OperationOutcome');
    expect((o.issue ?? []).filter((i) => i.severity === 'fatal')).toEqual([]);
  });

  test('an exception inside a validation step: error `exception` naming the step, never the message or a value', () => {
    const patient = { resourceType: 'Patient', gender: 'female' } as Record<string, unknown>;
    Object.defineProperty(patient, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom Secret-Value');
      },
    });
    const o = validator.validate(patient as unknown as Resource);
    const exceptions = (o.issue ?? []).filter((i) => i.code === 'exception');
    expect(exceptions.length).toBeGreaterThan(0);
    expect(exceptions.every((i) => i.severity === 'error' && i.expression?.[0] === 'Patient')).toBe(true);
    expect(exceptions[0].details?.text).toMatch(/Validation step ".+" .*failed with an internal error/);
    expect(JSON.stringify(o)).not.toMatch(/Secret-Value|boom/);
  });
});
