/**
 * Strict sandbox, behaviour 4: a `transaction` Bundle runs as a non-atomic batch, as on the real server
 * without its `transaction-bundles` feature (measured): each entry on its own, `transaction-response`
 * with per-entry statuses, failed entries beside stored ones. With `transactions: 'atomic'` (the
 * feature on): all or nothing, at most 50 updates, and at most 8 entries when one is conditional.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BundleEntry, Patient } from '@medplum/fhirtypes';
import { http, issueText, startSandbox, uniq, type Call, type RunningSandbox } from './http.js';

const SYS = 'urn:kap:test';
const patient = (value: string, extra: Record<string, unknown> = {}): Patient =>
  ({ resourceType: 'Patient', identifier: [{ system: SYS, value }], ...extra }) as unknown as Patient;
const byId = (value: string): string => `identifier=${encodeURIComponent(`${SYS}|${value}`)}`;
const condPut = (v: string, fullUrl = `urn:uuid:${randomUUID()}`): BundleEntry =>
  ({ fullUrl, resource: patient(v), request: { method: 'PUT', url: `Patient?${byId(v)}` } }) as BundleEntry;
const post = (v: string): BundleEntry => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: patient(v), request: { method: 'POST', url: 'Patient' } }) as BundleEntry;
const badId = (v: string): BundleEntry => ({ resource: patient(v, { id: 'my-id' }), request: { method: 'PUT', url: 'Patient/my-id' } }) as BundleEntry;
const bundle = (type: string, entry: BundleEntry[]): Record<string, unknown> => ({ resourceType: 'Bundle', type, entry });
const statuses = (body: any): string[] => body.entry.map((e: any) => e.response.status);

describe("strict sandbox: transactions run as batches (transactions: 'batch', the default)", () => {
  let sb: RunningSandbox;
  let call: Call;
  beforeAll(async () => {
    sb = await startSandbox({ strict: true });
    call = http(sb.baseUrl);
  });
  afterAll(async () => {
    await sb.close();
  });

  test('an entry fails (400) while the others are stored; references between entries resolve; per-entry outcomes', async () => {
    const [p, c, ae] = [uniq('p'), uniq('c'), uniq('ae')];
    const pUrl = `urn:uuid:${randomUUID()}`;
    const r = await call('POST', '/', bundle('transaction', [
      condPut(p, pUrl),
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: pUrl } }, request: { method: 'POST', url: 'Observation' } } as BundleEntry,
      { resource: { resourceType: 'AdverseEvent', actuality: 'actual', subject: { reference: pUrl } }, request: { method: 'PUT', url: `AdverseEvent?identifier=${SYS}|${ae}` } } as BundleEntry,
      badId(uniq('bad')),
      { resource: patient(c), request: { method: 'POST', url: 'Patient', ifNoneExist: byId(c) } } as BundleEntry,
    ]));
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('transaction-response');
    expect(statuses(r.body)).toEqual(['201', '201', '400', '400', '201']);
    expect(r.body.entry.map((e: any) => issueText(e.response.outcome))).toEqual([
      'Created', 'Created', 'Unknown search parameter: identifier', 'Invalid id', 'Created',
    ]);
    // the real server's entry shape: response { outcome, status, location: Type/id }, resource
    const first = r.body.entry[0];
    expect(first.response.location).toBe(`Patient/${first.resource.id}`);
    expect(r.body.entry[1].resource.subject.reference).toBe(`Patient/${first.resource.id}`);
    expect(await sb.controls.find('Patient', `${SYS}|${p}`)).toHaveLength(1);
    expect(await sb.controls.find('Patient', `${SYS}|${c}`)).toHaveLength(1);
    expect(await sb.controls.find('Observation')).toHaveLength(1);
    expect(await sb.controls.find('AdverseEvent')).toHaveLength(0);
  });

  test('no entry limits when not atomic; a repeated Bundle updates (200) what it created', async () => {
    const values = Array.from({ length: 12 }, () => uniq('n'));
    const first = await call('POST', '/', bundle('transaction', values.map((v) => condPut(v))));
    expect([first.status, new Set(statuses(first.body))]).toEqual([200, new Set(['201'])]);
    const again = await call('POST', '/', bundle('transaction', values.map((v) => condPut(v))));
    expect([again.status, new Set(statuses(again.body))]).toEqual([200, new Set(['200'])]);
  });

  test('a conditional entry matching two resources fails alone (400, fhir-router text), not 412', async () => {
    const v = uniq('dup');
    await call('POST', '/Patient', patient(v));
    await call('POST', '/Patient', patient(v));
    const r = await call('POST', '/', bundle('transaction', [condPut(v), post(uniq('ok'))]));
    expect(r.status).toBe(200);
    expect(r.body.entry.map((e: any) => [e.response.status, issueText(e.response.outcome)])).toEqual([
      ['400', 'Conditional PUT matched multiple resources'],
      ['201', 'Created'],
    ]);
  });

  test('an empty Bundle and an unknown Bundle type answer 400 as on the real server', async () => {
    const empty = await call('POST', '/', bundle('transaction', []));
    expect([empty.status, issueText(empty.body)]).toEqual([400, 'Missing bundle entries']);
    const collection = await call('POST', '/', bundle('collection', [post('x')]));
    expect([collection.status, issueText(collection.body)]).toEqual([400, 'Unrecognized bundle type: collection']);
  });
});

describe("strict sandbox: atomic transactions (transactions: 'atomic')", () => {
  let sb: RunningSandbox;
  let call: Call;
  beforeAll(async () => {
    sb = await startSandbox({ strict: { transactions: 'atomic' } });
    call = http(sb.baseUrl);
  });
  afterAll(async () => {
    await sb.close();
  });

  test('one bad entry: 400 with its outcome for the whole Bundle, nothing stored', async () => {
    const [a, b] = [uniq('a'), uniq('b')];
    const r = await call('POST', '/', bundle('transaction', [post(a), post(b), badId(uniq('bad'))]));
    expect([r.status, r.body.resourceType, issueText(r.body)]).toEqual([400, 'OperationOutcome', 'Invalid id']);
    expect(await sb.controls.find('Patient', `${SYS}|${a}`)).toHaveLength(0);
    expect(await sb.controls.find('Patient', `${SYS}|${b}`)).toHaveLength(0);
    const unknown = await call('POST', '/', bundle('transaction', [
      post(a),
      { resource: { resourceType: 'AdverseEvent', actuality: 'actual', subject: { display: 'x' } }, request: { method: 'PUT', url: 'AdverseEvent?identifier=a|b' } } as BundleEntry,
    ]));
    expect([unknown.status, issueText(unknown.body)]).toEqual([400, 'Unknown search parameter: identifier']);
    expect(await sb.controls.find('Patient', `${SYS}|${a}`)).toHaveLength(0);
  });

  test('a conditional entry allows at most 8 entries: 9 → 400 "Transaction requires strict isolation but has too many entries"', async () => {
    const nine = Array.from({ length: 9 }, () => uniq('nine'));
    const r = await call('POST', '/', bundle('transaction', nine.map((v) => condPut(v))));
    expect([r.status, issueText(r.body)]).toEqual([400, 'Transaction requires strict isolation but has too many entries']);
    const ifNoneExist = await call('POST', '/', bundle('transaction', [
      ...nine.slice(0, 8).map(post),
      { resource: patient(nine[8]), request: { method: 'POST', url: 'Patient', ifNoneExist: byId(nine[8]) } } as BundleEntry,
    ]));
    expect([ifNoneExist.status, issueText(ifNoneExist.body)]).toEqual([400, 'Transaction requires strict isolation but has too many entries']);
    expect(await sb.controls.find('Patient', `${SYS}|${nine[0]}`)).toHaveLength(0);
    const eight = await call('POST', '/', bundle('transaction', nine.slice(0, 8).map((v) => condPut(v))));
    expect([eight.status, eight.body.type, statuses(eight.body)]).toEqual([200, 'transaction-response', Array(8).fill('201')]);
    // without a conditional entry there is no such limit
    const plain = await call('POST', '/', bundle('transaction', Array.from({ length: 12 }, () => post(uniq('plain')))));
    expect([plain.status, statuses(plain.body).length]).toEqual([200, 12]);
  });

  test('at most 50 update entries: 51 → 400 "Transaction contains more update operations than allowed"', async () => {
    const ids = Array.from({ length: 51 }, () => randomUUID());
    for (const id of ids) {
      await sb.controls.repo.createResource({ resourceType: 'Patient', id, active: false });
    }
    const update = (id: string): BundleEntry => ({ resource: { resourceType: 'Patient', id, active: true }, request: { method: 'PUT', url: `Patient/${id}` } }) as BundleEntry;
    const r = await call('POST', '/', bundle('transaction', ids.map(update)));
    expect([r.status, issueText(r.body)]).toEqual([400, 'Transaction contains more update operations than allowed']);
    const fifty = await call('POST', '/', bundle('transaction', ids.slice(0, 50).map(update)));
    expect([fifty.status, new Set(statuses(fifty.body))]).toEqual([200, new Set(['200'])]);
  });

  test('references between entries resolve; a batch stays a batch', async () => {
    const pUrl = `urn:uuid:${randomUUID()}`;
    const r = await call('POST', '/', bundle('transaction', [
      condPut(uniq('ref'), pUrl),
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: pUrl } }, request: { method: 'POST', url: 'Observation' } } as BundleEntry,
    ]));
    expect(r.status).toBe(200);
    expect(r.body.entry[1].resource.subject.reference).toBe(`Patient/${r.body.entry[0].resource.id}`);
    const batch = await call('POST', '/', bundle('batch', [post(uniq('b')), badId(uniq('b'))]));
    expect([batch.status, batch.body.type, statuses(batch.body)]).toEqual([200, 'batch-response', ['201', '400']]);
  });
});

describe('strict sandbox: transaction switches', () => {
  test("transactions: false keeps the lenient sandbox's own atomic processor (no entry limits)", async () => {
    const sb = await startSandbox({ strict: { transactions: false } });
    try {
      const call = http(sb.baseUrl);
      const nine = Array.from({ length: 9 }, () => uniq('l'));
      const r = await call('POST', '/', bundle('transaction', nine.map((v) => condPut(v))));
      expect([r.status, r.body.entry.map((e: any) => e.response.status)]).toEqual([200, Array(9).fill('201 Created')]);
      const bad = await call('POST', '/', bundle('transaction', [condPut(uniq('l')), badId(uniq('l'))]));
      expect(bad.status).toBe(400);
    } finally {
      await sb.close();
    }
  });

  test('strict mode switched at run time (controls and the admin endpoint), as the real server gains its feature', async () => {
    const sb = await startSandbox({ strict: true });
    try {
      const call = http(sb.baseUrl);
      const nine = (): Record<string, unknown> => bundle('transaction', Array.from({ length: 9 }, () => condPut(uniq('s'))));
      expect((await call('POST', '/', nine())).status).toBe(200);
      const admin = await fetch(`${sb.baseUrl}/_admin/strict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ strict: { transactions: 'atomic' } }),
      });
      expect(((await admin.json()) as { strict: { transactions: string } }).strict.transactions).toBe('atomic');
      expect((await call('POST', '/', nine())).status).toBe(400);
      sb.controls.setStrict(false);
      expect(sb.controls.strict()).toBeUndefined();
      expect((await call('POST', '/', nine())).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
