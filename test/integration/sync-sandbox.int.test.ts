/**
 * The sandbox EHR itself, over HTTP: FHIR interactions, atomic transactions, the transaction
 * switch in /metadata, fault rules ("fail N times then succeed") and the admin endpoint.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { startSandbox, type RunningSandbox } from './helpers/sandbox.js';

const SYS = 'https://kap-fhir.org/fhir/clinic/sb';
const json = { 'content-type': 'application/fhir+json' };

describe('sandbox EHR', () => {
  let sb: RunningSandbox;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> => {
    const res = await fetch(`${sb.baseUrl}${path}`, { method, headers: { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const patient = (value: string): Patient => ({ resourceType: 'Patient', identifier: [{ system: SYS, value }], gender: 'other' });
  const byIdentifier = (value: string): string => `identifier=${encodeURIComponent(`${SYS}|${value}`)}`;

  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  test('create, read, update, search by identifier, conditional create and conditional update', async () => {
    const created = await call('POST', '/Patient', patient('p1'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call('GET', `/Patient/${id}`)).body.identifier[0].value).toBe('p1');
    expect((await call('PUT', `/Patient/${id}`, { ...patient('p1'), id, gender: 'female' })).status).toBe(200);
    const search = await call('GET', `/Patient?${byIdentifier('p1')}`);
    expect(search.body.entry.map((e: { resource: Patient }) => [e.resource.id, e.resource.gender])).toEqual([[id, 'female']]);
    const ifNoneExist = await call('POST', '/Patient', patient('p1'), { 'if-none-exist': byIdentifier('p1') });
    expect([ifNoneExist.status, ifNoneExist.body.id]).toEqual([200, id]);
    const condUpdate = await call('PUT', `/Patient?${byIdentifier('p1')}`, { ...patient('p1'), gender: 'male' });
    expect([condUpdate.status, condUpdate.body.id, condUpdate.body.gender]).toEqual([200, id, 'male']);
    const condCreate = await call('PUT', `/Patient?${byIdentifier('p2')}`, patient('p2'));
    expect(condCreate.status).toBe(201);
    expect((await call('GET', `/Patient?${byIdentifier('p2')}`)).body.entry).toHaveLength(1);
  });

  test('a transaction is all or nothing; batch entries stand alone', async () => {
    const tx = (second: object): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:5d6e1c4a-0000-4000-8000-000000000001', resource: patient('t1'), request: { method: 'PUT', url: `Patient?${byIdentifier('t1')}` } },
        second,
      ],
    }) as Bundle;
    const bad = await call('POST', '/', tx({ resource: patient('t2'), request: { method: 'PUT', url: `Observation?${byIdentifier('t2')}` } }));
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
    expect((await call('GET', `/Patient?${byIdentifier('t1')}`)).body.entry ?? []).toHaveLength(0);
    const good = await call('POST', '/', tx({
      fullUrl: 'urn:uuid:5d6e1c4a-0000-4000-8000-000000000002',
      resource: { resourceType: 'EpisodeOfCare', identifier: [{ system: SYS, value: 'e1' }], status: 'active', patient: { reference: 'urn:uuid:5d6e1c4a-0000-4000-8000-000000000001' } },
      request: { method: 'PUT', url: `EpisodeOfCare?${byIdentifier('e1')}` },
    }));
    expect(good.status).toBe(200);
    expect(good.body.type).toBe('transaction-response');
    const pid = (await call('GET', `/Patient?${byIdentifier('t1')}`)).body.entry[0].resource.id;
    expect((await call('GET', `/EpisodeOfCare?${byIdentifier('e1')}`)).body.entry[0].resource.patient.reference).toBe(`Patient/${pid}`);
    const batch = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('b1'), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: `Patient?${byIdentifier('t1')}` } },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.entry.map((e: { response: { status: string } }) => e.response.status.slice(0, 3))).toEqual(['201', '200']);
  });

  test('/metadata declares transaction support or not, and the sandbox then refuses them', async () => {
    const interactions = async (): Promise<string[]> =>
      ((await call('GET', '/metadata')).body.rest[0].interaction ?? []).map((i: { code: string }) => i.code);
    expect(await interactions()).toEqual(['transaction', 'batch']);
    sb.controls.setTransactions(false);
    expect(await interactions()).toEqual([]);
    expect((await call('POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: [] })).status).toBe(400);
    sb.controls.setTransactions(true);
  });

  test('fault rules: fail N times then succeed, 429 with Retry-After, via the admin endpoint', async () => {
    const add = await fetch(`${sb.baseUrl}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path: '^/Patient\\?', status: 503, times: 2 }),
    });
    expect(add.status).toBe(201);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await call('GET', `/Patient?${byIdentifier('p1')}`)).status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    sb.controls.fail({ method: 'GET', path: /^\/metadata/, status: 429, retryAfterSeconds: 7, times: 1 });
    const limited = await call('GET', '/metadata');
    expect([limited.status, limited.headers.get('retry-after'), limited.body.issue[0].code]).toEqual([429, '7', 'throttled']);
    const log = (await (await fetch(`${sb.baseUrl}/_admin/requests`)).json()) as { status?: number }[];
    expect(log.length).toBeGreaterThan(3);
    expect((await fetch(`${sb.baseUrl}/_admin/reset`, { method: 'POST' })).status).toBe(204);
    expect(sb.controls.requests).toHaveLength(0);
    expect((await call('GET', `/Patient?${byIdentifier('p1')}`)).body.entry ?? []).toHaveLength(0);
  });
});
