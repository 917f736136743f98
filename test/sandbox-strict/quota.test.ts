/**
 * Strict sandbox, behaviour 5: a per-client quota in points per window answering 429, as the real
 * server's FHIR quota (measured with `--fhir-quota 3000`: a write costs 100, a search 20, a read 1;
 * an exhausted quota answers 429 `throttled` "Too Many Requests"; inside a batch the entry that hits
 * it and all after it get that 429 outcome, the Bundle 200). The sandbox adds `Retry-After`.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import type { BundleEntry, Patient } from '@medplum/fhirtypes';
import type { SandboxOptions } from '../../src/sandbox/sandbox.js';
import { http, issueText, startSandbox, uniq, type Call, type RunningSandbox } from './http.js';

const SYS = 'urn:kap:test';
const patient = (value: string): Patient => ({ resourceType: 'Patient', identifier: [{ system: SYS, value }] });
const post = (v: string): BundleEntry => ({ resource: patient(v), request: { method: 'POST', url: 'Patient' } }) as BundleEntry;
const byId = (value: string): string => `identifier=${encodeURIComponent(`${SYS}|${value}`)}`;
/** `r=` of the RateLimit header. */
const remaining = (h: Headers): number => Number(/"fhirInteractions";r=(\d+)/.exec(h.get('ratelimit') ?? '')?.[1]);

/** Every API jest's fake timers can replace, but Date. */
const EVERYTHING_BUT_DATE = [
  'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback',
  'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
] as const;

let running: RunningSandbox[] = [];
async function sandbox(options: SandboxOptions): Promise<{ sb: RunningSandbox; call: Call }> {
  const sb = await startSandbox(options);
  running.push(sb);
  return { sb, call: http(sb.baseUrl) };
}
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

describe('strict sandbox: per-client quota', () => {
  test('single requests: 429 with Retry-After, RateLimit and the real OperationOutcome once the points run out', async () => {
    const { sb, call } = await sandbox({ strict: { quota: 250 } });
    const a = await call('POST', '/Patient', patient('q1'));
    expect([a.status, a.headers.get('ratelimit')]).toEqual([201, '"fhirInteractions";r=150;t=60']);
    expect((await call('POST', '/Patient', patient('q2'))).status).toBe(201);
    const refused = await call('POST', '/Patient', patient('q3'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(remaining(refused.headers)).toBe(0);
    expect([refused.body.id, refused.body.issue[0].code, issueText(refused.body)]).toEqual(['too-many-requests', 'throttled', 'Too Many Requests']);
    expect(JSON.parse(refused.body.issue[0].diagnostics)).toMatchObject({ _remainingPoints: 0, _consumedPoints: 300, limit: 250 });
    expect(await sb.controls.find('Patient', `${SYS}|q3`)).toHaveLength(0);
    expect((await call('GET', '/Patient?_id=x')).status).toBe(429);
    // /metadata is not charged
    expect((await call('GET', '/metadata')).status).toBe(200);
    sb.controls.quota()?.reset();
    expect((await call('POST', '/Patient', patient('q4'))).status).toBe(201);
  });

  test("costs as the real server's: read 1, search 20, write 100, conditional create 20 + 100, history 10", async () => {
    const { call } = await sandbox({ strict: { quota: 100_000 } });
    const steps: [string, () => Promise<{ headers: Headers }>][] = [];
    let id = '';
    const v = uniq('c');
    steps.push(['create', async () => {
      const r = await call('POST', '/Patient', patient(uniq('c')));
      id = r.body.id;
      return r;
    }]);
    steps.push(['read', () => call('GET', `/Patient/${id}`)]);
    steps.push(['search', () => call('GET', `/Patient?${byId(v)}`)]);
    steps.push(['conditional create', () => call('PUT', `/Patient?${byId(v)}`, patient(v))]);
    steps.push(['conditional update', () => call('PUT', `/Patient?${byId(v)}`, patient(v))]);
    steps.push(['If-None-Exist, existing', () => call('POST', '/Patient', patient(v), { 'if-none-exist': byId(v) })]);
    steps.push(['history', () => call('GET', `/Patient/${id}/_history`)]);
    steps.push(['refused search', () => call('GET', '/AdverseEvent?identifier=a|b')]);
    steps.push(['refused write', () => call('PUT', '/Patient/x1', { resourceType: 'Patient', id: 'x1' })]);
    let last = 100_000;
    const costs: [string, number][] = [];
    for (const [name, step] of steps) {
      const r = await step();
      costs.push([name, last - remaining(r.headers)]);
      last = remaining(r.headers);
    }
    expect(costs).toEqual([
      ['create', 100], ['read', 1], ['search', 20], ['conditional create', 120], ['conditional update', 120],
      ['If-None-Exist, existing', 20], ['history', 10], ['refused search', 20], ['refused write', 100],
    ]);
    // a batch of two conditional updates that create: preprocessing search 20 + search 20 + write 100 each (real: 280)
    const batch = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [uniq('b'), uniq('b')].map((w) => ({ resource: patient(w), request: { method: 'PUT', url: `Patient?${byId(w)}` } })),
    });
    expect(last - remaining(batch.headers)).toBe(280);
  });

  test('inside a batch (and a transaction run as one) the entry that hits the quota and all after it get 429; the Bundle 200', async () => {
    const { sb, call } = await sandbox({ strict: { quota: 500 } });
    for (const type of ['batch', 'transaction']) {
      sb.controls.quota()?.reset();
      const values = Array.from({ length: 8 }, () => uniq(type));
      const r = await call('POST', '/', { resourceType: 'Bundle', type, entry: values.map(post) });
      expect([type, r.status, r.body.type]).toEqual([type, 200, `${type}-response`]);
      expect(r.body.entry.map((e: any) => e.response.status)).toEqual(['201', '201', '201', '201', '201', '429', '429', '429']);
      expect(issueText(r.body.entry[7].response.outcome)).toBe('Too Many Requests');
      expect(r.headers.get('retry-after')).toBeNull(); // a 200 answer
      expect(remaining(r.headers)).toBe(0);
      const stored = await Promise.all(values.map((v) => sb.controls.find('Patient', `${SYS}|${v}`)));
      expect(stored.map((s) => s.length)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    }
  });

  test('an atomic transaction that hits the quota answers 429 as a whole and stores nothing', async () => {
    const { sb, call } = await sandbox({ strict: { quota: 300, transactions: 'atomic' } });
    const values = Array.from({ length: 5 }, () => uniq('atomic'));
    const r = await call('POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: values.map(post) });
    expect([r.status, issueText(r.body), !!r.headers.get('retry-after')]).toEqual([429, 'Too Many Requests', true]);
    expect(await sb.controls.find('Patient')).toHaveLength(0);
  });

  test('per client: each OAuth client (bearer token) has its own quota; requests without a token share one', async () => {
    const { sb } = await sandbox({ strict: { quota: 150 } });
    const token = async (clientId: string): Promise<string> => {
      sb.controls.tokens.register({ clientId, secret: 's3cret' });
      const res = await fetch(`${sb.baseUrl}/_auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 's3cret' }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const [ta, tb] = [await token('client-a'), await token('client-b')];
    const as = http(sb.baseUrl, () => ({ authorization: `Bearer ${ta}` }));
    const bs = http(sb.baseUrl, () => ({ authorization: `Bearer ${tb}` }));
    const anon = http(sb.baseUrl);
    expect((await as('POST', '/Patient', patient('a1'))).status).toBe(201);
    expect((await as('POST', '/Patient', patient('a2'))).status).toBe(429);
    expect((await bs('POST', '/Patient', patient('b1'))).status).toBe(201);
    expect((await anon('POST', '/Patient', patient('n1'))).status).toBe(201);
    expect((await anon('POST', '/Patient', patient('n2'))).status).toBe(429);
    expect(sb.controls.quota()?.peek('client-a')?.consumed).toBe(200);
  });

  test('the window ends: the quota is back; costs, window and Retry-After are configurable', async () => {
    // The quota's clock (Date) stands still while the window's four requests are made, however long a
    // busy machine takes over them, then moves to the window's end; timers stay real (HTTP runs).
    jest.useFakeTimers({ doNotFake: [...EVERYTHING_BUT_DATE], now: Date.now() });
    try {
      const { call } = await sandbox({ strict: { quota: { pointsPerMinute: 3, costs: { write: 1 }, windowMs: 1500, retryAfter: false } } });
      for (const v of ['w1', 'w2', 'w3']) {
        expect((await call('POST', '/Patient', patient(v))).status).toBe(201);
      }
      const refused = await call('POST', '/Patient', patient('w4'));
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, null]);
      jest.setSystemTime(Date.now() + 1499);
      expect((await call('POST', '/Patient', patient('w5'))).status).toBe(429);
      jest.setSystemTime(Date.now() + 1);
      expect((await call('POST', '/Patient', patient('w6'))).status).toBe(201);
    } finally {
      jest.useRealTimers();
    }
  });

  test('quota: false has none; the lenient sandbox has none', async () => {
    for (const options of [{ strict: { quota: false as const } }, {}]) {
      const { call } = await sandbox(options);
      const r = await call('POST', '/', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: Array.from({ length: 20 }, () => ({ resource: patient(randomUUID()), request: { method: 'POST', url: 'Patient' } })),
      });
      expect([r.status, r.headers.get('ratelimit'), new Set(r.body.entry.map((e: any) => e.response.status.slice(0, 3)))]).toEqual([200, null, new Set(['201'])]);
    }
  });
});
