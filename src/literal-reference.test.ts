import { describe, expect, test } from '@jest/globals';
import { parseLiteralReference } from './literal-reference.js';

describe('parseLiteralReference', () => {
  test.each([
    ['Patient/pt-1', ['Patient', 'pt-1']],
    ['Patient/pt-1/_history/3', ['Patient', 'pt-1']],
    ['https://ehr.example.org/fhir/Practitioner/pr.7', ['Practitioner', 'pr.7']],
    ['https://ehr.example.org/fhir/Observation/o-1/_history/2/', ['Observation', 'o-1']],
    ['Encounter/e-9?_format=json', ['Encounter', 'e-9']],
  ])('reads %s', (url, expected) => {
    expect(parseLiteralReference(url)).toEqual(expected);
  });

  test.each([
    ['urn:uuid:6f1c1a0e-0000-5000-8000-000000000001'],
    ['#contained'],
    ['Patient?identifier=https://kap-fhir.org/fhir/clinic/c1|pt-1'],
    ['Patient'],
    ['patient/pt-1'],
    [`Patient/${'x'.repeat(65)}`],
    ['Patient/a_b'],
    [''],
  ])('finds no Type/id in %p', (url) => {
    expect(parseLiteralReference(url)).toBeUndefined();
  });
});
