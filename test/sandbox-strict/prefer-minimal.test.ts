/**
 * Strict sandbox, behaviour 3: `Prefer: return=minimal` answers with the status, the headers and an
 * EMPTY body, as the real server does (measured): 201 + absolute Location for a create, 200 for an
 * update, 200 for a transaction or a batch (no Bundle to read the entries from), and even an error
 * (400 without its OperationOutcome).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isUUID } from '@medplum/core';
import { http, startSandbox, strictSandbox, uniq, type Call, type RunningSandbox } from './http.js';

const SYS = 'urn:kap:test';
const minimal = { prefer: 'return=minimal' };
const patient = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'Patient',
  identifier: [{ system: SYS, value }],
  ...extra,
});
const byId = (value: string): string => `identifier=${encodeURIComponent(`${SYS}|${value}`)}`;

describe('strict sandbox: Prefer: return=minimal', () => {
  let sb: RunningSandbox;
  let call: Call;
  beforeAll(async () => {
    ({ sb, call } = await strictSandbox({ strict: true }));
  });
  afterAll(async () => {
    await sb.close();
  });

  test('create: 201, absolute Location, ETag, empty body; update and conditional update: 200, empty body', async () => {
    const v = uniq('m');
    const created = await call('POST', '/Patient', patient(v), minimal);
    expect([created.status, created.text]).toEqual([201, '']);
    const location = created.headers.get('location') as string;
    expect(location).toMatch(new RegExp(`^${sb.baseUrl}/Patient/[0-9a-f-]{36}$`));
    const id = location.split('/').pop() as string;
    expect(isUUID(id)).toBe(true);
    expect(created.headers.get('etag')).toMatch(/^W\/"[0-9a-f-]{36}"$/);
    const updated = await call('PUT', `/Patient/${id}`, patient(v, { id, active: true }), minimal);
    expect([updated.status, updated.text, updated.headers.get('location')]).toEqual([200, '', null]);
    const w = uniq('m');
    const condCreate = await call('PUT', `/Patient?${byId(w)}`, patient(w), minimal);
    expect([condCreate.status, condCreate.text, !!condCreate.headers.get('location')]).toEqual([201, '', true]);
    const condUpdate = await call('PUT', `/Patient?${byId(w)}`, patient(w, { active: true }), minimal);
    expect([condUpdate.status, condUpdate.text]).toEqual([200, '']);
    // the writes happened
    expect((await call('GET', `/Patient/${id}`)).body.active).toBe(true);
  });

  test('an error is emptied too (the OperationOutcome is not sent), and so is a read', async () => {
    const r = await call('PUT', '/Patient/not-a-uuid', patient(uniq('e'), { id: 'not-a-uuid' }), minimal);
    expect([r.status, r.text]).toEqual([400, '']);
    const id = (await call('POST', '/Patient', patient(uniq('g')))).body.id as string;
    const read = await call('GET', `/Patient/${id}`, undefined, minimal);
    expect([read.status, read.text, !!read.headers.get('etag')]).toEqual([200, '', true]);
  });

  test('transaction (run as a batch) and batch: 200 with an empty body; the entries are stored', async () => {
    for (const type of ['transaction', 'batch']) {
      const values = [uniq(type), uniq(type)];
      const r = await call('POST', '/', {
        resourceType: 'Bundle',
        type,
        entry: values.map((v) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: patient(v), request: { method: 'PUT', url: `Patient?${byId(v)}` } })),
      }, minimal);
      expect([type, r.status, r.text]).toEqual([type, 200, '']);
      for (const v of values) {
        expect(await sb.controls.find('Patient', `${SYS}|${v}`)).toHaveLength(1);
      }
    }
  });

  test('only the exact header value counts (as on the real server); return=representation answers the resource', async () => {
    const r = await call('POST', '/Patient', patient(uniq('r')), { prefer: 'return=representation' });
    expect([r.status, r.body.resourceType]).toEqual([201, 'Patient']);
    const both = await call('POST', '/Patient', patient(uniq('r')), { prefer: 'return=minimal, handling=strict' });
    expect([both.status, both.body.resourceType]).toEqual([201, 'Patient']);
  });
});

describe('strict sandbox: preferMinimal switch', () => {
  test('preferMinimal: false and the lenient sandbox answer bodies (lenient: a transaction lists its entries without resources)', async () => {
    for (const options of [{ strict: { preferMinimal: false } }, {}]) {
      const sb = await startSandbox(options);
      try {
        const call = http(sb.baseUrl);
        const created = await call('POST', '/Patient', patient('x'), minimal);
        expect([JSON.stringify(options), created.status, created.body?.resourceType]).toEqual([JSON.stringify(options), 201, 'Patient']);
        const tx = await call('POST', '/', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: patient('y'), request: { method: 'PUT', url: `Patient?${byId('y')}` } }],
        }, minimal);
        expect([tx.status, tx.body.type]).toEqual([200, 'transaction-response']);
        if (!options.strict) {
          expect(tx.body.entry[0].resource).toBeUndefined();
        }
      } finally {
        await sb.close();
      }
    }
  });
});
