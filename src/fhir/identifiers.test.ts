import { describe, expect, test } from '@jest/globals';
import { clinicIdentifier, entryReference, fullUrlFor, uuidV5 } from './identifiers.js';

describe('identifiers', () => {
  test('uuidV5 is RFC 9562 UUID v5 in the URL namespace (Python uuid.uuid5(NAMESPACE_URL, …) vectors)', () => {
    expect(uuidV5('python.org')).toBe('7af94e2b-4dd9-50f0-9c9a-8a48519bdef0');
    expect(uuidV5('Patient|https://kap-fhir.org/fhir/clinic/sunrise-kap|pt-0042')).toBe('e48a19bf-34ff-53fd-8b25-696d92856870');
  });

  test('the full URL depends on type, system and value', () => {
    const base = fullUrlFor('Patient', 'https://kap-fhir.org/fhir/clinic/a', 'x');
    expect(base).toMatch(/^urn:uuid:/);
    expect(fullUrlFor('Patient', 'https://kap-fhir.org/fhir/clinic/a', 'x')).toBe(base);
    expect(fullUrlFor('Practitioner', 'https://kap-fhir.org/fhir/clinic/a', 'x')).not.toBe(base);
    expect(fullUrlFor('Patient', 'https://kap-fhir.org/fhir/clinic/b', 'x')).not.toBe(base);
    expect(fullUrlFor('Patient', 'https://kap-fhir.org/fhir/clinic/a', 'y')).not.toBe(base);
  });

  test('clinic identifier and entry reference', () => {
    expect(clinicIdentifier('sunrise-kap', 'pt-1')).toEqual({ system: 'https://kap-fhir.org/fhir/clinic/sunrise-kap', value: 'pt-1' });
    expect(entryReference('Patient', 'sunrise-kap', 'pt-0042')).toEqual({
      reference: 'urn:uuid:e48a19bf-34ff-53fd-8b25-696d92856870',
    });
  });
});
