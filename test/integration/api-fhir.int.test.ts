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
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from './api-harness.js';
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

  test('not a transaction/batch Bundle → 400; a Bundle with an invalid resource → 422, nothing enqueued', async () => {
    expect((await post('/fhir', examplePatient())).status).toBe(400);
    expect((await post('/fhir', { resourceType: 'Bundle', type: 'collection', entry: [] })).status).toBe(400);
    const [, json] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const parsed = parseEpisode({ ...json, id: 'ep-fhir-2' });
    if (!parsed.ok) {
      throw new Error('example does not parse');
    }
    const bundle = mapEpisode(parsed.episode);
    const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    delete patient.birthDate;
    const res = await post('/fhir', bundle);
    expect([400, 422]).toContain(res.status);
    const o = (await res.json()) as OperationOutcome;
    expect(o.resourceType).toBe('OperationOutcome');
    expect(await h.sandbox.controls.find('EpisodeOfCare', `${clinicIdentifierSystem('clinic-a')}|ep-fhir-2`)).toHaveLength(0);
  });
});
