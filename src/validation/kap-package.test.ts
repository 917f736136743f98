/**
 * One conformance store per process (issue 12): the KAP package is read once, and the default validator,
 * every `new Validator()` without extras and the API's conformance routes share that one store; a
 * validator with extra resources builds on it without re-reading it or changing it.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import type { Questionnaire, StructureDefinition } from '@medplum/fhirtypes';
import { kapProfile, KAP_CANONICAL } from '../terminology/systems.js';
import { ConformanceStore } from './conformance-store.js';
import { kapConformance, kapConformanceLoaded, kapPackageDir } from './kap-package.js';
import { getDefaultValidator, Validator } from './validator.js';

const PATIENT = kapProfile('kap-patient');

describe('the KAP package store', () => {
  test('is read once and shared by the default validator and plain validators', () => {
    const store = kapConformance();
    expect(kapConformanceLoaded()).toBe(true);
    expect(kapConformance()).toBe(store);
    expect(getDefaultValidator().store).toBe(store);
    expect(new Validator().store).toBe(store);
    expect(new Validator({ unknownExtensions: 'error' }).store).toBe(store);
  });

  test('holds every conformance resource of the package folder, read by type and id', () => {
    const store = kapConformance();
    const files = readdirSync(kapPackageDir()).filter((f) => /^(StructureDefinition|ValueSet|CodeSystem|Questionnaire)-.+\.json$/.test(f));
    const all = ['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire'].flatMap((t) => store.search(t));
    expect(all).toHaveLength(files.length);
    for (const file of files) {
      const [, type, id] = /^([A-Za-z]+)-(.+)\.json$/.exec(file) as RegExpExecArray;
      expect(store.read(type, id)?.id).toBe(id);
    }
    expect(store.read('StructureDefinition', 'no-such-id')).toBeUndefined();
    expect(store.read('Patient', 'kap-patient')).toBeUndefined();
  });

  test('search by url, url|version and version; profiles are the constraint definitions that are not extensions', () => {
    const store = kapConformance();
    const [patient] = store.search('StructureDefinition', PATIENT) as StructureDefinition[];
    expect(patient?.id).toBe('kap-patient');
    expect(store.search('StructureDefinition', `${PATIENT}|${patient.version}`)).toEqual([patient]);
    expect(store.search('StructureDefinition', PATIENT, 'no-such-version')).toEqual([]);
    expect(store.search('StructureDefinition', `${KAP_CANONICAL}/StructureDefinition/nothing`)).toEqual([]);
    expect(store.search('Patient')).toEqual([]);
    const profiles = store.profiles();
    expect(profiles.map((p) => p.id)).toContain('kap-patient');
    expect(profiles.every((p) => p.derivation === 'constraint' && p.type !== 'Extension')).toBe(true);
    expect(store.packageProfileUrls()).toContain(PATIENT);
  });
});

describe('a store built on another', () => {
  const questionnaire: Questionnaire = {
    resourceType: 'Questionnaire',
    id: 'extra-q',
    url: 'https://example.org/Questionnaire/extra-q',
    status: 'active',
  };

  test('sees the parent, adds its own and leaves the parent unchanged', () => {
    const before = kapConformance().search('Questionnaire').length;
    const validator = new Validator({ resources: [questionnaire] });
    expect(validator.store).not.toBe(kapConformance());
    expect(validator.store.getQuestionnaire(questionnaire.url as string)).toBe(questionnaire);
    expect(validator.store.read('Questionnaire', 'extra-q')).toBe(questionnaire);
    expect(validator.store.getStructureDefinition(PATIENT)).toBe(kapConformance().getStructureDefinition(PATIENT));
    expect(validator.store.search('Questionnaire')).toHaveLength(before + 1);
    expect(kapConformance().getQuestionnaire(questionnaire.url as string)).toBeUndefined();
    expect(kapConformance().search('Questionnaire')).toHaveLength(before);
  });

  test('parses a profile it does not replace once, in the parent; one it replaces, itself', () => {
    const parent = kapConformance();
    const child = new ConformanceStore(parent);
    expect(child.getProfile(PATIENT)).toBe(parent.getProfile(PATIENT));
    const sd = parent.getStructureDefinition(PATIENT) as StructureDefinition;
    child.add({ ...sd, title: 'replaced' });
    const own = child.getProfile(PATIENT);
    expect(own?.sd.title).toBe('replaced');
    expect(own).not.toBe(parent.getProfile(PATIENT));
    expect(child.search('StructureDefinition', PATIENT).map((r) => (r as StructureDefinition).title)).toEqual(['replaced']);
  });

  test('without the KAP package: only its own resources and the R4 base', () => {
    const store = new Validator({ kapPackage: false }).store;
    expect(store).not.toBe(kapConformance());
    expect(store.getStructureDefinition(PATIENT)).toBeUndefined();
    expect(store.getStructureDefinition('http://hl7.org/fhir/StructureDefinition/bp')?.type).toBe('Observation');
    expect(store.profiles()).toEqual([]);
  });
});
