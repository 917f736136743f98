import { describe, expect, test } from '@jest/globals';
import { FHIR_ID, FHIR_ID_CHARACTER, FHIR_ID_PATTERN } from './fhir-id.js';

describe('FHIR id', () => {
  test('is the R4 id pattern, in the forms we compose', () => {
    expect(FHIR_ID.source).toBe('^[A-Za-z0-9\\-.]{1,64}$');
    expect(FHIR_ID_PATTERN).toBe('[A-Za-z0-9\\-.]{1,64}');
    expect(FHIR_ID_CHARACTER).toBe('[A-Za-z0-9\\-.]');
  });

  test.each([['ep-42'], ['a.b-C9'], ['x'.repeat(64)]])('accepts %s', (id) => {
    expect(FHIR_ID.test(id)).toBe(true);
  });

  test.each([[''], ['x'.repeat(65)], ['a_b'], ['a/b'], ['a~b'], ['a:b'], ['a b']])('refuses %p', (id) => {
    expect(FHIR_ID.test(id)).toBe(false);
  });
});
