/**
 * The FHIR endpoints on the real service: CapabilityStatement, $validate per the spec (200 with
 * the OperationOutcome whether valid or not; 400 for a wrong request), the package's conformance
 * resources (read, search by url), and POST /fhir with a transaction Bundle of KAP resources.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, CapabilityStatement, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapEpisode } from '../../src/fhir/index.js';
import { parseEpisode } from '../../src/kap/index.js';
import { clinicIdentifierSystem, kapProfile } from '../../src/terminology/systems.js';
import { exampleEpisodes, settleJob, startApiHarness, totalJobs, type ApiHarness } from './api-harness.js';
import { REPO_ROOT } from './helpers/sandbox.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

const examplePatient = (): Patient =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'profiles/package/example/Patient-ExamplePatient.json'), 'utf8')) as Patient;

const post = (path: string, body: unknown, as: 'a' | 'none' = 'a') =>
  h.call(path, { method: 'POST', as, body: JSON.stringify(body), headers: { 'content-type': 'application/fhir+json' } });

const mappedBundle = (id: string): Bundle => {
  const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
  const parsed = parseEpisode({ ...json, id });
  if (!parsed.ok) {
    throw new Error('example does not parse');
  }
  return JSON.parse(JSON.stringify(mapEpisode(parsed.episode))) as Bundle;
};
const entryIndex = (b: Bundle, type: string): number => (b.entry ?? []).findIndex((e) => e.resource?.resourceType === type);
const patientOf = (b: Bundle): Patient => b.entry?.[entryIndex(b, 'Patient')]?.resource as Patient;

const errors = (o: OperationOutcome) => (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('GET /fhir/metadata', () => {
  test('a CapabilityStatement naming the KAP profiles and $validate, without credentials', async () => {
    const res = await h.call('/fhir/metadata', { as: 'none' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const cs = (await res.json()) as CapabilityStatement;
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    const resources = cs.rest?.[0]?.resource ?? [];
    const patient = resources.find((r) => r.type === 'Patient');
    expect(patient?.supportedProfile).toContain(kapProfile('kap-patient'));
    expect(resources.find((r) => r.type === 'MedicationAdministration')?.supportedProfile).toContain(kapProfile('kap-ketamine-administration'));
    expect(cs.rest?.[0]?.operation?.map((o) => o.name)).toContain('validate');
    expect(cs.rest?.[0]?.interaction?.map((i) => i.code)).toEqual(expect.arrayContaining(['transaction', 'batch']));
    expect(resources.find((r) => r.type === 'StructureDefinition')?.searchParam?.map((p) => p.name)).toContain('url');
  });
});

describe('$validate', () => {
  test('a valid resource → 200 with no error issue', async () => {
    const res = await post('/fhir/Patient/$validate', examplePatient());
    expect(res.status).toBe(200);
    const o = (await res.json()) as OperationOutcome;
    expect(o.resourceType).toBe('OperationOutcome');
    expect(errors(o)).toHaveLength(0);
  });

  test('an invalid resource → 200 with an error issue naming the element, not its value', async () => {
    const bad = { ...examplePatient(), gender: 'not-a-gender-zzz' };
    const res = await post('/fhir/$validate', bad);
    expect(res.status).toBe(200);
    const o = (await res.json()) as OperationOutcome;
    expect(errors(o).length).toBeGreaterThan(0);
    expect(errors(o).flatMap((i) => i.expression ?? [])).toContain('Patient.gender');
    expect(JSON.stringify(o)).not.toContain('not-a-gender-zzz');
  });

  test('Parameters { resource, profile } → validated against that profile', async () => {
    const { meta: _meta, ...noProfile } = examplePatient();
    const missingIdentifier = { ...noProfile, identifier: undefined };
    const params = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: missingIdentifier },
        { name: 'profile', valueUri: kapProfile('kap-patient') },
      ],
    };
    const res = await post('/fhir/Patient/$validate', params);
    expect(res.status).toBe(200);
    const withProfile = (await res.json()) as OperationOutcome;
    const plain = (await (await post('/fhir/Patient/$validate', missingIdentifier)).json()) as OperationOutcome;
    // The KAP profile requires what base R4 does not: only the profiled check finds errors.
    expect(errors(withProfile).length).toBeGreaterThan(0);
    expect(errors(plain)).toHaveLength(0);
  });

  test('wrong requests → 400: type in URL differs, no resource, Parameters without resource; no key → 401', async () => {
    expect((await post('/fhir/Observation/$validate', examplePatient())).status).toBe(400);
    expect((await post('/fhir/$validate', { hello: 'world' })).status).toBe(400);
    expect((await post('/fhir/$validate', { resourceType: 'Parameters', parameter: [] })).status).toBe(400);
    expect((await post('/fhir/$validate', examplePatient(), 'none')).status).toBe(401);
  });
  test('malformed Parameters → 400 naming Parameters.parameter (or the profile/resource parameter), never 500', async () => {
    const cases: [unknown, string][] = [
      [{ resourceType: 'Parameters', parameter: 'x' }, 'Parameters.parameter'],
      [{ resourceType: 'Parameters', parameter: [null] }, 'Parameters.parameter'],
      [{ resourceType: 'Parameters', parameter: [5, { name: 'resource', resource: examplePatient() }] }, 'Parameters.parameter'],
      [
        { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: examplePatient() }, { name: 'profile', valueUri: 5 }] },
        "Parameters.parameter.where(name='profile')",
      ],
      [{ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: 'x' }] }, "Parameters.parameter.where(name='resource').resource"],
    ];
    for (const [body, field] of cases) {
      const res = await post('/fhir/$validate', body);
      expect(res.status).toBe(400);
      expect(errors((await res.json()) as OperationOutcome).flatMap((i) => i.expression ?? [])).toEqual([field]);
    }
  });

  test('a structurally broken resource → 200 + OperationOutcome with errors naming the element (per spec), never 500', async () => {
    const brokenProfile = { ...examplePatient(), meta: { profile: [12] } };
    const cases: [unknown, string][] = [
      [{ resourceType: 'Bundle', type: 'collection', entry: 'x' }, 'Bundle.entry'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [null] }, 'Bundle.entry[0]'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [5] }, 'Bundle.entry[0]'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [{ resource: 'x' }] }, 'Bundle.entry[0].resource'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:1', resource: brokenProfile }] }, 'Bundle.entry[0].resource'],
      [brokenProfile, 'Patient'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/fhir/$validate', body);
      expect(res.status).toBe(200);
      const o = (await res.json()) as OperationOutcome;
      expect(o.resourceType).toBe('OperationOutcome');
      const named = errors(o).flatMap((i) => i.expression ?? []);
      expect({ field, named: named.some((e) => e === field || e.startsWith(`${field}.`) || e.startsWith(`${field}[`)) }).toEqual({ field, named: true });
      expect(JSON.stringify(o)).not.toMatch(/TypeError|is not a function|Cannot read/);
    }
  });
});

describe('conformance resources', () => {
  test('search by url → a searchset Bundle with the StructureDefinition; read by id', async () => {
    const url = kapProfile('kap-patient');
    const res = await h.call(`/fhir/StructureDefinition?url=${encodeURIComponent(url)}`);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(1);
    expect((bundle.entry?.[0]?.resource as { url?: string }).url).toBe(url);
    const read = await h.call('/fhir/StructureDefinition/kap-patient');
    expect(read.status).toBe(200);
    expect(((await read.json()) as { url: string }).url).toBe(url);
    const q = await h.call(`/fhir/Questionnaire?url=${encodeURIComponent('https://kap-fhir.org/fhir/Questionnaire/phq9')}`);
    expect(((await q.json()) as Bundle).total).toBe(1);
    const vs = await h.call('/fhir/ValueSet?url=https://example.org/none');
    expect(((await vs.json()) as Bundle).total).toBe(0);
  });

  test('unknown id → 404; other types → 404; unknown search parameter → 400', async () => {
    expect((await h.call('/fhir/StructureDefinition/nope')).status).toBe(404);
    expect((await h.call('/fhir/Patient/123')).status).toBe(404);
    expect((await h.call('/fhir/CodeSystem?name=x')).status).toBe(400);
  });
});

describe('POST /fhir (transaction Bundle)', () => {
  test('a KAP transaction Bundle → 202, validated, synced like an episode', async () => {
    const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const parsed = parseEpisode({ ...json, id: 'ep-fhir-1' });
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const bundle = mapEpisode(parsed.episode);
    const res = await post('/fhir', bundle);
    expect(res.status).toBe(202);
    const location = res.headers.get('content-location') as string;
    expect(location).toMatch(/^\/v1\/jobs\//);
    const settled = await settleJob(h, decodeURIComponent(location.slice('/v1/jobs/'.length)));
    expect(settled.state).toBe('completed');
    const found = await h.sandbox.controls.find('EpisodeOfCare', `${clinicIdentifierSystem('clinic-a')}|ep-fhir-1`);
    expect(found).toHaveLength(1);
  });

  test('not a transaction/batch Bundle → 400', async () => {
    expect((await post('/fhir', examplePatient())).status).toBe(400);
    expect((await post('/fhir', { resourceType: 'Bundle', type: 'collection', entry: [] })).status).toBe(400);
    expect((await post('/fhir', [])).status).toBe(400);
  });

  test('a Bundle with an invalid resource → exactly 422 naming the field, nothing enqueued', async () => {
    const bundle = mappedBundle('ep-fhir-2');
    const patient = patientOf(bundle);
    patient.birthDate = 'not-a-date-zzz';
    const before = await totalJobs(h);
    const res = await post('/fhir', bundle);
    expect(res.status).toBe(422);
    const o = (await res.json()) as OperationOutcome;
    expect(o.resourceType).toBe('OperationOutcome');
    expect(errors(o).flatMap((i) => i.expression ?? [])).toContain(`Bundle.entry[${entryIndex(bundle, 'Patient')}].resource.birthDate`);
    expect(JSON.stringify(o)).not.toContain('not-a-date-zzz');
    expect(await totalJobs(h)).toBe(before);
    expect(await h.sandbox.controls.find('EpisodeOfCare', `${clinicIdentifierSystem('clinic-a')}|ep-fhir-2`)).toHaveLength(0);
  });

  test('a Bundle without the Patient birthDate (which the episode needs) → 422 naming it, nothing enqueued', async () => {
    const bundle = mappedBundle('ep-fhir-2b');
    delete patientOf(bundle).birthDate;
    const before = await totalJobs(h);
    const res = await post('/fhir', bundle);
    expect(res.status).toBe(422);
    const o = (await res.json()) as OperationOutcome;
    expect(errors(o).flatMap((i) => i.expression ?? []).some((e) => e.endsWith('birthDate'))).toBe(true);
    expect(await totalJobs(h)).toBe(before);
  });

  test('invalid values the reverse mapping would carry over (null identifier/telecom value, profile 12) → 422 before unmapping; the EHR keeps its data', async () => {
    const good = mappedBundle('ep-fhir-3');
    const accepted = await post('/fhir', good);
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('content-location') as string;
    expect((await settleJob(h, decodeURIComponent(location.slice('/v1/jobs/'.length)))).state).toBe('completed');
    const i = entryIndex(good, 'Patient');
    const original = patientOf(good);
    const values = new Set((original.identifier ?? []).map((x) => x.value));
    const stored = async (): Promise<Patient[]> =>
      (await h.sandbox.controls.find<Patient>('Patient')).filter((x) => (x.identifier ?? []).some((id) => values.has(id.value)));
    expect((await stored()).length).toBeGreaterThan(0);
    const snapshot = JSON.stringify((await stored()).map((x) => [x.identifier, x.telecom]));

    const nulls = mappedBundle('ep-fhir-3');
    const p = patientOf(nulls) as unknown as { identifier: { value: unknown }[]; telecom?: { value: unknown }[] };
    const last = p.identifier.length - 1;
    (p.identifier[last] as { value: unknown }).value = null;
    if (p.telecom?.[0]) {
      p.telecom[0].value = null;
    }
    const profile = mappedBundle('ep-fhir-3');
    (patientOf(profile).meta as { profile: unknown[] }).profile = [12];

    for (const [bundle, field] of [
      [nulls, `Bundle.entry[${i}].resource.identifier[${last}].value`],
      [profile, `Bundle.entry[${i}].resource`],
    ] as const) {
      const before = await totalJobs(h);
      const res = await post('/fhir', bundle);
      expect(res.status).toBe(422);
      const o = (await res.json()) as OperationOutcome;
      expect(errors(o).flatMap((x) => x.expression ?? []).some((e) => e.startsWith(field))).toBe(true);
      expect(await totalJobs(h)).toBe(before);
    }
    // nothing was enqueued, so the EHR's Patient keeps its identifiers and telecom
    expect(JSON.stringify((await stored()).map((x) => [x.identifier, x.telecom]))).toBe(snapshot);
  });

  test('junk → 4xx OperationOutcome naming the field, never 500, nothing enqueued', async () => {
    const bundleWith = (mutate: (b: Bundle) => void): Bundle => {
      const b = mappedBundle('ep-fhir-junk');
      mutate(b);
      return b;
    };
    const res0 = (b: Bundle, type: string) => b.entry?.find((e) => e.resource?.resourceType === type)?.resource as unknown as Record<string, unknown>;
    const set = (type: string, path: (r: Record<string, unknown>) => void) => bundleWith((b) => path(res0(b, type)));
    const cases: [string, unknown, string][] = [
      ['entry [null]', { resourceType: 'Bundle', type: 'transaction', entry: [null] }, 'Bundle.entry[0]'],
      ['entry a string', { resourceType: 'Bundle', type: 'batch', entry: 'x' }, 'Bundle.entry'],
      ['entry [5]', { resourceType: 'Bundle', type: 'batch', entry: [5] }, 'Bundle.entry[0]'],
      ['identifier.system a number', set('Patient', (r) => ((r.identifier as Record<string, unknown>[])[0] = { system: 5, value: 'x' })), '.resource.identifier[0].system'],
      ['identifier an object', set('Patient', (r) => (r.identifier = { system: 'urn:x', value: 'x' })), '.resource.identifier'],
      ['identifier [null]', set('Patient', (r) => (r.identifier = [null])), '.resource.identifier[0]'],
      ['name a string', set('Patient', (r) => (r.name = 'x')), '.resource.name'],
      ['name [null]', set('Patient', (r) => (r.name = [null])), '.resource.name[0]'],
      ['telecom an object', set('Patient', (r) => (r.telecom = { system: 'phone', value: '1' })), 'Bundle'],
      ['telecom [null]', set('Patient', (r) => (r.telecom = [null])), '.resource.telecom[0]'],
      ['extension an object', set('Patient', (r) => (r.extension = { url: 'urn:x' })), 'Bundle'],
      ['extension [null]', set('Patient', (r) => (r.extension = [null])), '.resource.extension[0]'],
      ['participant an object', set('Encounter', (r) => (r.participant = {})), 'Bundle'],
      ['participant [null]', set('Encounter', (r) => (r.participant = [null])), '.resource.participant[0]'],
      ['code.coding an object', set('Observation', (r) => ((r.code as Record<string, unknown>).coding = {})), '.resource'],
      ['code.coding [null]', set('Observation', (r) => ((r.code as Record<string, unknown>).coding = [null])), '.resource.code.coding[0]'],
    ];
    for (const [name, body, field] of cases) {
      const before = await totalJobs(h);
      const res = await post('/fhir', body);
      const o = (await res.json()) as OperationOutcome;
      expect({ name, status: res.status }).toEqual({ name, status: 422 });
      expect(o.resourceType).toBe('OperationOutcome');
      const named = errors(o).flatMap((x) => x.expression ?? []);
      expect({ name, ok: named.some((e) => (field.startsWith('.') ? e.includes(field) : e === field || e.startsWith(`${field}[`) || e.startsWith(`${field}.`))) }).toEqual({ name, ok: true });
      expect(JSON.stringify(o)).not.toMatch(/TypeError|is not a function|Cannot read/);
      expect(await totalJobs(h)).toBe(before);
    }
  });
});
