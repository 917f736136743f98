import { beforeAll, describe, expect, test } from '@jest/globals';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { ensureCoreCache } from './fhir-package-cache.js';
import { snapshotFailure, withDifferentialIds, withSnapshots } from './snapshot-generator.js';

const profile = (id: string, element: StructureDefinition['differential']): StructureDefinition => ({
  resourceType: 'StructureDefinition',
  id,
  url: `http://example.org/fhir/StructureDefinition/${id}`,
  name: id.replace(/-/g, ''),
  status: 'active',
  kind: 'resource',
  abstract: false,
  type: 'Patient',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
  derivation: 'constraint',
  differential: element,
});
const min1 = (id: string, path: string): StructureDefinition => profile(id, { element: [{ id: path, path, min: 1 }] });
const element = (sd: StructureDefinition, id: string) => sd.snapshot?.element?.find((e) => e.id === id);

describe('withSnapshots', () => {
  beforeAll(() => {
    ensureCoreCache();
  }, 120_000);

  test('a second and a third distinct profile in one process (the second used to fail: package index cached by id#version)', async () => {
    for (const [id, path] of [
      ['h2-first', 'Patient.birthDate'],
      ['h2-second', 'Patient.gender'],
      ['h2-third', 'Patient.name'],
    ] as const) {
      const [out] = await withSnapshots([min1(id, path)]);
      expect(snapshotFailure(out)).toBeUndefined();
      expect(element(out, path)?.min).toBe(1);
      expect(out.id).toBe(id);
    }
  }, 120_000);

  test('one unusable profile does not stop the others: it comes back without a snapshot, with the reason', async () => {
    const broken = { ...min1('h2-broken', 'Patient.gender'), baseDefinition: 'http://example.org/fhir/StructureDefinition/not-there' };
    const noUrl = { ...min1('h2-no-url', 'Patient.gender'), url: undefined } as unknown as StructureDefinition;
    const good = min1('h2-good', 'Patient.birthDate');
    const [a, b, c] = await withSnapshots([broken, good, noUrl]);
    expect(a.snapshot).toBeUndefined();
    expect(snapshotFailure(a)).toMatch(/^snapshot generation failed/);
    expect(element(b, 'Patient.birthDate')?.min).toBe(1);
    expect(snapshotFailure(c)).toMatch(/no url/);
  }, 120_000);

  test('differential elements without ids (slices too) are completed', async () => {
    const sd = profile('h2-no-ids', {
      element: [
        { path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
        { path: 'Patient.identifier', sliceName: 'mrn', min: 1 },
        { path: 'Patient.identifier.system', fixedUri: 'http://example.org/mrn' },
      ],
    });
    expect(withDifferentialIds(sd).differential?.element?.map((e) => e.id)).toEqual([
      'Patient.identifier',
      'Patient.identifier:mrn',
      'Patient.identifier:mrn.system',
    ]);
    const [out] = await withSnapshots([sd]);
    expect(snapshotFailure(out)).toBeUndefined();
    expect(element(out, 'Patient.identifier:mrn.system')?.fixedUri).toBe('http://example.org/mrn');
  }, 120_000);

  test('a profile derived from another one given in the same call', async () => {
    const parent = min1('h2-parent', 'Patient.birthDate');
    const child = { ...min1('h2-child', 'Patient.gender'), baseDefinition: parent.url };
    const [, out] = await withSnapshots([parent, child]);
    expect(snapshotFailure(out)).toBeUndefined();
    expect(element(out, 'Patient.birthDate')?.min).toBe(1);
    expect(element(out, 'Patient.gender')?.min).toBe(1);
  }, 120_000);
});
