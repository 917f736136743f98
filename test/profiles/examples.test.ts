/**
 * Every example instance in profiles/package/example validates with Medplum's validator against the profile it
 * declares in meta.profile (all KAP StructureDefinitions loaded first, so nested profiles and extensions resolve).
 *
 * Medplum 5 misreads one snapshot shape that comes from the R4 core `bp` profile itself (component slices
 * discriminated by `code.coding.code` with the codes fixed in a nested slice): the profiles are handed to it through
 * src/validation's `completeSnapshot`, which rewrites that shape into an equivalent one (see its TSDoc).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { loadBaseDefinitions } from '../../src/fhir/definitions.js';
import { completeSnapshot } from '../../src/validation/snapshot-fixes.js';
import { packageExamples, packageStructureDefinitions } from './package-files.js';

const examples = packageExamples();
const profiles = new Map<string, StructureDefinition>();

function errorsOf(resource: Resource, profile?: StructureDefinition): OperationOutcomeIssue[] {
  try {
    return validateResource(resource, { profile }).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      return (err.outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
    }
    throw err;
  }
}

beforeAll(() => {
  loadBaseDefinitions();
  for (const sd of packageStructureDefinitions()) {
    const readable = completeSnapshot(sd);
    loadDataType(readable);
    profiles.set(sd.url, readable);
  }
});

describe('KAP example instances', () => {
  test('there are examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(18);
  });

  test.each(examples.map((r) => [`${r.resourceType}/${r.id}`, r] as const))('%s validates against its profile', (_name, resource) => {
    const declared = resource.meta?.profile ?? [];
    for (const url of declared) {
      expect(profiles.has(url)).toBe(true);
      expect(errorsOf(resource, profiles.get(url))).toEqual([]);
    }
    if (declared.length === 0) {
      expect(errorsOf(resource)).toEqual([]);
    }
  });

  test('the validator does catch a broken example (the checks above can fail)', () => {
    const ma = examples.find((r) => r.resourceType === 'MedicationAdministration');
    expect(ma).toBeDefined();
    const broken = { ...(ma as Resource), request: undefined, dosage: { route: (ma as { dosage?: { route?: unknown } }).dosage?.route } };
    const profile = profiles.get((ma as Resource).meta?.profile?.[0] as string);
    const expressions = errorsOf(broken as Resource, profile).flatMap((i) => i.expression ?? []);
    expect(expressions).toEqual(expect.arrayContaining(['MedicationAdministration.request', 'MedicationAdministration.dosage.dose']));
  });
});
