import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { packageCacheDir } from '../validation/snapshot-generator.js';
import { validateCommand } from './validate.js';

const fixtures = fileURLToPath(new URL('../validation/__test__/', import.meta.url));
const partner = join(fixtures, 'partner-package');

async function run(args: string[]): Promise<{ code: number; outcome?: OperationOutcome }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    chunks.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await validateCommand(args);
    const text = chunks.join('');
    return { code, outcome: text ? (JSON.parse(text) as OperationOutcome) : undefined };
  } finally {
    process.stdout.write = write;
  }
}
const expressions = (o?: OperationOutcome): string[] =>
  (o?.issue ?? []).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.expression?.[0]}`);

describe('kap-fhir validate', () => {
  test('a valid KAP example: exit 0', async () => {
    const file = fileURLToPath(new URL('../../profiles/package/example/Patient-ExamplePatient.json', import.meta.url));
    const { code, outcome } = await run([file]);
    expect(code).toBe(0);
    expect(outcome?.resourceType).toBe('OperationOutcome');
  });

  test('bad usage: exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['x.json', '--unknown-extensions', 'loud'])).code).toBe(2);
  });

  // The partner's profile has only a differential: its snapshot is generated from the R4 core package cache.
  const withCache = packageCacheDir() ? test : test.skip;

  withCache('--package DIR: another party profile (differential only), value set and code system', async () => {
    const ok = await run([join(fixtures, 'patient-valid.json'), '--package', partner]);
    expect(ok.code).toBe(0);
    const broken = await run([join(fixtures, 'patient-broken.json'), '--package', partner]);
    expect(broken.code).toBe(1);
    expect(expressions(broken.outcome).sort()).toEqual(['code-invalid Patient.maritalStatus', 'structure Patient.birthDate']);
  });

  withCache('--profile-file SD.json without a snapshot, for a resource without meta.profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-validate-'));
    const file = join(dir, 'patient.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
    const { code, outcome } = await run([file, '--profile-file', join(partner, 'StructureDefinition-partner-patient.json')]);
    expect(code).toBe(1);
    expect(expressions(outcome)).toEqual(['structure Patient.birthDate']);
  });
});
