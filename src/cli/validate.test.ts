import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ensureCoreCache, projectRoot } from '../validation/fhir-package-cache.js';
import { packageCacheDir } from '../validation/snapshot-generator.js';
import { ROOT, runCli } from '../../test/helpers/cli.js';
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

  test('an extension no loaded definition describes: an error, as the HL7 validator reports it, unless told otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-validate-ext-'));
    try {
      const file = join(dir, 'patient.json');
      const url = 'https://partner.test/fhir/StructureDefinition/unknown-flag';
      writeFileSync(file, JSON.stringify({ resourceType: 'Patient', _birthDate: { extension: [{ url, valueBoolean: true }] }, birthDate: '1970-01-01' }));
      const strict = await run([file]);
      expect(strict.code).toBe(1);
      expect(expressions(strict.outcome)).toContain('extension Patient.birthDate.extension[0]');
      const lenient = await run([file, '--unknown-extensions', 'warning']);
      expect(lenient.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad usage: exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['x.json', '--unknown-extensions', 'loud'])).code).toBe(2);
    expect((await run(['x.json', '--best-practice', 'loud'])).code).toBe(2);
    expect((await run([join(tmpdir(), 'kap-validate-no-such-file.json')])).code).toBe(2);
  });

  describe('never a crash: exit 1 with an issue, 2 only for usage', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'kap-validate-crash-'));
    });
    const write = (name: string, value: unknown): string => {
      const file = join(dir, name);
      writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
      return file;
    };
    const brokenProfile = {
      resourceType: 'StructureDefinition',
      id: 'broken-patient',
      url: 'https://partner.example.org/fhir/StructureDefinition/broken-patient',
      name: 'BrokenPatient',
      status: 'active',
      kind: 'resource',
      abstract: false,
      type: 'Patient',
      baseDefinition: 'https://partner.example.org/fhir/StructureDefinition/not-published',
      derivation: 'constraint',
      differential: { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
    };

    test('a file that is not JSON: exit 1, a fatal issue, no stack trace', async () => {
      const { code, outcome } = await run([write('not-json.json', '{ "resourceType": ')]);
      expect(code).toBe(1);
      expect(outcome?.issue?.map((i) => `${i.severity} ${i.code}`)).toEqual(['fatal structure']);
    });

    test('a --profile-file whose snapshot cannot be generated: exit 1, error exception naming the profile and the step', async () => {
      const patient = write('patient.json', { resourceType: 'Patient', gender: 'female' });
      const { code, outcome } = await run([patient, '--profile-file', write('broken.json', brokenProfile)]);
      expect(code).toBe(1);
      const errs = (outcome?.issue ?? []).filter((i) => i.severity === 'error');
      expect(errs.map((i) => `${i.code} ${i.expression?.[0]}`)).toEqual(['exception Patient']);
      expect(errs[0].details?.text).toContain(brokenProfile.url);
      expect(errs[0].details?.text).toMatch(/snapshot generation/);
      expect(JSON.stringify(outcome)).not.toContain('female');
    });

    test('one unusable profile in a --package does not stop the others', async () => {
      const pkg = mkdtempSync(join(dir, 'pkg-'));
      for (const name of readdirSync(partner).filter((n) => n.endsWith('.json'))) {
        writeFileSync(join(pkg, name), readFileSync(join(partner, name)));
      }
      writeFileSync(join(pkg, 'StructureDefinition-broken-patient.json'), JSON.stringify(brokenProfile));
      const patient = write('patient-both.json', {
        resourceType: 'Patient',
        meta: { profile: [brokenProfile.url, 'https://partner.example.org/fhir/StructureDefinition/partner-patient'] },
        gender: 'female',
      });
      const { code, outcome } = await run([patient, '--package', pkg]);
      expect(code).toBe(1);
      expect(expressions(outcome).sort()).toEqual(['exception Patient.meta.profile[0]', 'structure Patient.birthDate']);
    });

    test('an unknown meta.profile is a warning ("not checked"): exit 0', async () => {
      const patient = write('patient-unknown.json', {
        resourceType: 'Patient',
        meta: { profile: ['https://partner.example.org/fhir/StructureDefinition/unknown'] },
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Example</div>' },
      });
      const { code, outcome } = await run([patient]);
      expect(code).toBe(0);
      expect(outcome?.issue?.map((i) => `${i.severity} ${i.code} ${i.expression?.[0]}`)).toEqual(['warning not-supported Patient.meta.profile[0]']);
      expect(outcome?.issue?.[0].details?.text).toMatch(/could not be found, not checked/);
      const explicit = await run([write('patient-plain.json', { resourceType: 'Patient' }), '--profile', 'https://partner.example.org/fhir/StructureDefinition/unknown']);
      expect(explicit.code).toBe(1);
    });

    test('best-practice dom-6 (narrative) is a warning by default, off with --best-practice ignore', async () => {
      const patient = write('patient-no-text.json', { resourceType: 'Patient' });
      const on = await run([patient]);
      expect(on.code).toBe(0);
      expect(on.outcome?.issue?.map((i) => `${i.severity} ${i.expression?.[0]}`)).toEqual(['warning Patient']);
      const off = await run([patient, '--best-practice', 'ignore']);
      expect(off.outcome?.issue?.map((i) => i.severity)).toEqual(['information']);
    });
  });

  // The partner's profile has only a differential: its snapshot is generated from the R4 core package
  // cache, built here when a clean clone has none (never skipped).
  beforeAll(() => {
    ensureCoreCache();
  }, 120_000);

  test('the package cache is the project root one, found whatever the working directory', () => {
    expect(projectRoot()).toBe(resolve(ROOT));
    const dir = process.env.KAP_FHIR_PACKAGE_CACHE ?? join(ROOT, '.fhir-cache', 'packages');
    expect(packageCacheDir()).toBe(dir);
  });

  test('a missing core cache is built on demand (into any cache folder), then reused', () => {
    const root = mkdtempSync(join(tmpdir(), 'kap-fhir-cache-'));
    try {
      const first = ensureCoreCache(root);
      expect(first.rebuilt).toBe(true);
      expect(first.resources).toBeGreaterThan(2000);
      expect(existsSync(join(root, 'packages', 'hl7.fhir.r4.core#4.0.1', 'package', 'StructureDefinition-Patient.json'))).toBe(true);
      expect(readdirSync(join(root, 'packages'))).toEqual(['hl7.fhir.r4.core#4.0.1']); // no temp folder left
      expect(ensureCoreCache(root).rebuilt).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('--package DIR: another party profile (differential only), value set and code system', async () => {
    const ok = await run([join(fixtures, 'patient-valid.json'), '--package', partner]);
    expect(ok.code).toBe(0);
    const broken = await run([join(fixtures, 'patient-broken.json'), '--package', partner]);
    expect(broken.code).toBe(1);
    expect(expressions(broken.outcome).sort()).toEqual(['code-invalid Patient.maritalStatus', 'structure Patient.birthDate']);
  });

  test('--profile-file SD.json without a snapshot, for a resource without meta.profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-validate-'));
    const file = join(dir, 'patient.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
    const { code, outcome } = await run([file, '--profile-file', join(partner, 'StructureDefinition-partner-patient.json')]);
    expect(code).toBe(1);
    expect(expressions(outcome)).toEqual(['structure Patient.birthDate']);
  });

  test('the real binary, run from outside the project folder: --profile-file of a differential-only SD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kap-validate-cwd-'));
    try {
      writeFileSync(join(dir, 'patient.json'), JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
      writeFileSync(join(dir, 'patient-ok.json'), JSON.stringify({ resourceType: 'Patient', gender: 'female', birthDate: '1980-02-03' }));
      const sd = join(partner, 'StructureDefinition-partner-patient.json');
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
      delete env.KAP_FHIR_PACKAGE_CACHE;
      delete env.KAP_PROFILES_PACKAGE;
      // relative file names, resolved against the temp working directory
      const broken = await runCli(['validate', 'patient.json', '--profile-file', sd], { cwd: dir, env });
      expect(broken.stderr).not.toContain('No FHIR package cache');
      expect(broken.status).toBe(1);
      expect(expressions(JSON.parse(broken.stdout) as OperationOutcome)).toEqual(['structure Patient.birthDate']);
      const ok = await runCli(['validate', 'patient-ok.json', '--profile-file', sd], { cwd: dir, env });
      expect(ok.status).toBe(0);
      expect(expressions(JSON.parse(ok.stdout) as OperationOutcome)).toEqual([]);
      expect(existsSync(join(dir, '.fhir-cache'))).toBe(false); // nothing written into the working directory
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
