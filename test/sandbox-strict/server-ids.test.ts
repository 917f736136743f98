/**
 * Strict sandbox, behaviour 2: ids are server-assigned UUIDs, as on the real server (measured):
 * `PUT Patient/my-patient-1` → 400 "Invalid id"; `PUT Patient/<uuid that does not exist>` → 404 (no
 * update-as-create); a conditional update that would create with an `id` in the body → 400 "Cannot
 * perform create as update with client-assigned ID"; without one it creates with a server UUID.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isUUID } from '@medplum/core';
import { http, issueText, startSandbox, strictSandbox, uniq, type Call, type RunningSandbox } from './http.js';

const SYS = 'urn:kap:test';
const patient = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'Patient',
  identifier: [{ system: SYS, value }],
  ...extra,
});
const byId = (value: string): string => `identifier=${encodeURIComponent(`${SYS}|${value}`)}`;

describe('strict sandbox: server-assigned UUID ids', () => {
  let sb: RunningSandbox;
  let call: Call;
  beforeAll(async () => {
    ({ sb, call } = await strictSandbox({ strict: true }));
  });
  afterAll(async () => {
    await sb.close();
  });

  test('PUT with a client-chosen id: 400 "Invalid id" when not a UUID, 404 when a UUID that does not exist', async () => {
    const invalid = await call('PUT', '/Patient/my-patient-1', patient(uniq('a'), { id: 'my-patient-1' }));
    expect([invalid.status, invalid.body.issue[0].code, issueText(invalid.body)]).toEqual([400, 'invalid', 'Invalid id']);
    const u = randomUUID();
    const missing = await call('PUT', `/Patient/${u}`, patient(uniq('b'), { id: u }));
    expect([missing.status, missing.body.id, issueText(missing.body)]).toEqual([404, 'not-found', 'Not found']);
    // the body's id must be the URL's (fhir-router, as the real server)
    const noBodyId = await call('PUT', `/Patient/${u}`, patient(uniq('c')));
    expect([noBodyId.status, issueText(noBodyId.body)]).toEqual([400, 'Incorrect resource ID']);
    expect(await sb.controls.find('Patient')).toHaveLength(0);
  });

  test('conditional update: creates with a server UUID, refuses a client id when it would create, checks it when it matches', async () => {
    const v = uniq('cu');
    const withId = await call('PUT', `/Patient?${byId(v)}`, patient(v, { id: 'client-1' }));
    expect([withId.status, issueText(withId.body), withId.body.issue[0].expression]).toEqual([
      400, 'Cannot perform create as update with client-assigned ID', ['Patient.id'],
    ]);
    const withUuid = await call('PUT', `/Patient?${byId(v)}`, patient(v, { id: randomUUID() }));
    expect([withUuid.status, issueText(withUuid.body)]).toEqual([400, 'Cannot perform create as update with client-assigned ID']);
    const created = await call('PUT', `/Patient?${byId(v)}`, patient(v));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(isUUID(id)).toBe(true);
    const other = await call('PUT', `/Patient?${byId(v)}`, patient(v, { id: randomUUID() }));
    expect([other.status, issueText(other.body)]).toEqual([400, 'Resource ID did not match resolved ID']);
    const same = await call('PUT', `/Patient?${byId(v)}`, patient(v, { id, active: true }));
    expect([same.status, same.body.id, same.body.active]).toEqual([200, id, true]);
    const updated = await call('PUT', `/Patient/${id}`, patient(v, { id, active: false }));
    expect([updated.status, updated.body.active]).toEqual([200, false]);
  });

  test('POST ignores a client id: the server assigns a UUID (also with If-None-Exist)', async () => {
    const v = uniq('post');
    const r = await call('POST', '/Patient', patient(v, { id: 'mine' }));
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe('mine');
    expect(isUUID(r.body.id)).toBe(true);
    const w = uniq('post');
    const c = await call('POST', '/Patient', patient(w, { id: 'mine-2' }), { 'if-none-exist': byId(w) });
    expect([c.status, isUUID(c.body.id)]).toEqual([201, true]);
    const again = await call('POST', '/Patient', patient(w), { 'if-none-exist': byId(w) });
    expect([again.status, again.body.id]).toEqual([200, c.body.id]);
  });

  test('in a Bundle: PUT Type/<non-UUID> fails its entry with "Invalid id", conditional creates get UUIDs', async () => {
    const v = uniq('tx');
    const r = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: `urn:uuid:${randomUUID()}`, resource: patient(v), request: { method: 'PUT', url: `Patient?${byId(v)}` } },
        { resource: patient(uniq('tx'), { id: 'prov-1' }), request: { method: 'PUT', url: 'Patient/prov-1' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.entry.map((e: any) => [e.response.status, issueText(e.response.outcome)])).toEqual([
      ['201', 'Created'],
      ['400', 'Invalid id'],
    ]);
    expect(isUUID(r.body.entry[0].resource.id)).toBe(true);
  });

  test('the in-process repository stays lenient (tests seed with chosen ids)', async () => {
    await sb.controls.repo.createResource({ resourceType: 'Patient', id: 'seeded-1' });
    expect((await call('GET', '/Patient/seeded-1')).status).toBe(200);
  });
});

describe('strict sandbox: serverIds switch', () => {
  test('serverIds: false and the lenient sandbox keep update-as-create with a client id', async () => {
    for (const options of [{ strict: { serverIds: false } }, {}]) {
      const sb = await startSandbox(options);
      try {
        const call = http(sb.baseUrl);
        const r = await call('PUT', '/Patient/my-patient-1', patient('x', { id: 'my-patient-1' }));
        // 200, not 201: fhir-router's update answers allOk also when MemoryRepository creates
        expect([JSON.stringify(options), r.status, r.body.id]).toEqual([JSON.stringify(options), 200, 'my-patient-1']);
        const cs = (await call('GET', '/metadata')).body;
        if (options.strict) {
          expect(cs.rest[0].resource.find((x: any) => x.type === 'Patient').updateCreate).toBe(true);
        }
      } finally {
        await sb.close();
      }
    }
  });
});
