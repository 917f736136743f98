/**
 * The fault proxy (fault-proxy.ts) in front of the sandbox EHR, over real HTTP: pass-through, each
 * fault kind, counts, skips, body patterns, seeded probabilities, and the loopback-only target.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import { fault, mulberry32, startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { CONDITION_TIMEOUT_MS } from './timeouts.js';

const SYS = 'urn:kap:proxy';
const patient = (value: string): Record<string, unknown> => ({ resourceType: 'Patient', identifier: [{ system: SYS, value }] });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = CONDITION_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('fault proxy in front of the sandbox', () => {
  let sb: RunningSandbox;
  let proxy: FaultProxy;
  const stored = async (value: string): Promise<number> => (await sb.controls.find('Patient', `${SYS}|${value}`)).length;
  const post = (value: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${proxy.baseUrl}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(patient(value)), ...init });

  beforeAll(async () => {
    sb = await startSandbox();
    proxy = await startFaultProxy(sb.baseUrl, { seed: 7 });
  });
  afterAll(async () => {
    await proxy.close();
    await sb.close();
  });
  beforeEach(() => {
    proxy.clear();
    sb.controls.reset();
  });

  test('forwards requests and answers unchanged; paths are relative to the FHIR base', async () => {
    expect(proxy.baseUrl).toBe(`${proxy.origin}/fhir`);
    const created = await post('pass');
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string };
    const read = await fetch(`${proxy.baseUrl}/Patient/${body.id}`);
    expect([read.status, ((await read.json()) as { id: string }).id]).toEqual([200, body.id]);
    expect(read.headers.get('etag')).toMatch(/^W\//);
    expect(sb.controls.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /Patient', `GET /Patient/${body.id}`]);
    expect(proxy.log.slice(-2).map((e) => [e.method, e.url, e.forwarded, e.upstreamStatus, e.status, e.fault])).toEqual([
      ['POST', '/Patient', true, 201, 201, undefined],
      ['GET', `/Patient/${body.id}`, true, 200, 200, undefined],
    ]);
  });

  test('503 twice, then through (method + path pattern); nothing forwarded while failing', async () => {
    proxy.add({ method: 'POST', path: /^\/Patient/, times: 2, fault: fault.status(503, { retryAfterSeconds: 2 }) });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const r = await post('s503');
      answers.push([r.status, r.headers.get('retry-after'), ((await r.json()) as { resourceType: string }).resourceType]);
    }
    expect(answers).toEqual([[503, '2', 'OperationOutcome'], [503, '2', 'OperationOutcome'], [201, null, 'Patient']]);
    expect(await stored('s503')).toBe(1);
    expect((await fetch(`${proxy.baseUrl}/metadata`)).status).toBe(200); // GET: not matched
  });

  test('500 after forwarding: the server did the work, the client sees a failure', async () => {
    proxy.add({ method: 'POST', times: 1, fault: fault.status(500, { forward: true }) });
    expect((await post('s500')).status).toBe(500);
    expect(await stored('s500')).toBe(1);
    expect(proxy.log.at(-1)).toMatchObject({ forwarded: true, upstreamStatus: 201, status: 500, fault: 'status' });
  });

  test('429 with Retry-After and a throttled OperationOutcome', async () => {
    proxy.add({ path: '^/Patient', times: 1, fault: fault.rateLimit(7) });
    const r = await post('s429');
    const body = (await r.json()) as { issue: { code: string }[] };
    expect([r.status, r.headers.get('retry-after'), body.issue[0].code]).toEqual([429, '7', 'throttled']);
    expect(await stored('s429')).toBe(0);
  });

  test('a delay beyond the client timeout: the client gives up, the server has done the work', async () => {
    // Held long past the server's answer (itself slow on a busy machine) ...
    proxy.add({ method: 'POST', times: 1, fault: fault.delay(5000) });
    // ... and the client gives up once the server has answered the proxy, while the proxy still holds the
    // answer: on an event, not after a time a busy machine could overrun.
    const giveUp = new AbortController();
    const pending = post('slow', { signal: giveUp.signal });
    await until(() => proxy.log.at(-1)?.upstreamStatus !== undefined);
    const entry = proxy.log.at(-1);
    expect(entry?.endedAt).toBeUndefined(); // the answer is still held
    giveUp.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(await stored('slow')).toBe(1);
    await until(() => entry?.endedAt !== undefined);
    expect(entry).toMatchObject({ fault: 'delay', forwarded: true, upstreamStatus: 201 });
    expect(entry?.status).toBeUndefined(); // the client had gone
  });

  test('a delay within the client timeout answers late but normally', async () => {
    proxy.add({ method: 'GET', path: '^/metadata', times: 1, fault: fault.delay(300) });
    const started = Date.now();
    const r = await fetch(`${proxy.baseUrl}/metadata`);
    expect([r.status, Date.now() - started >= 280]).toEqual([200, true]);
  });

  test('dropped connection after the server wrote: the client gets a socket error, the resource is stored', async () => {
    proxy.add({ method: 'POST', times: 1, fault: fault.dropAfter() });
    const err = await post('dropped').then(() => undefined, (e: unknown) => e as Error & { cause?: { code?: string } });
    expect([err?.name, err?.message]).toEqual(['TypeError', 'fetch failed']); // (another realm: not instanceof)
    expect(await stored('dropped')).toBe(1);
    expect(proxy.log.at(-1)).toMatchObject({ fault: 'drop-after', forwarded: true, upstreamStatus: 201 });
    expect(proxy.log.at(-1)?.status).toBeUndefined();
  });

  test('connection reset before forwarding: the client gets a socket error, the server saw nothing', async () => {
    proxy.add({ method: 'POST', times: 1, fault: fault.resetBefore() });
    const err = await post('reset').then(() => undefined, (e: unknown) => e as Error & { cause?: { code?: string } });
    expect([err?.name, err?.message]).toEqual(['TypeError', 'fetch failed']); // (another realm: not instanceof)
    expect(err?.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await stored('reset')).toBe(0);
    expect(sb.controls.requests).toHaveLength(0);
    // the next request goes through on a new connection
    expect((await post('reset')).status).toBe(201);
  });

  test('skip lets the first matching requests through; body patterns select Bundles', async () => {
    proxy.add({ method: 'GET', path: '^/metadata', skip: 2, times: 1, fault: fault.status(500) });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fetch(`${proxy.baseUrl}/metadata`)).status);
    }
    expect(statuses).toEqual([200, 200, 500, 200]);
    proxy.add({ method: 'POST', body: /"type":"transaction"/, fault: fault.status(503) });
    const tx = await fetch(`${proxy.baseUrl}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('tx'), request: { method: 'POST', url: 'Patient' } }] }),
    });
    expect(tx.status).toBe(503);
    expect((await post('not-a-bundle')).status).toBe(201);
  });
});

describe('fault proxy: seeded probabilities and targets', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  const pattern = async (seed: number): Promise<string> => {
    const proxy = await startFaultProxy(sb.baseUrl, { seed, rules: [{ path: '^/metadata', probability: 0.3, fault: fault.status(503) }] });
    try {
      let out = '';
      for (let i = 0; i < 40; i++) {
        out += (await fetch(`${proxy.baseUrl}/metadata`)).status === 503 ? 'x' : '.';
      }
      return out;
    } finally {
      await proxy.close();
    }
  };

  test('the same seed fails the same requests; another seed others', async () => {
    const [a, b, c] = [await pattern(42), await pattern(42), await pattern(43)];
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const failures = [...a].filter((ch) => ch === 'x').length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    // the generator itself
    const r1 = mulberry32(1);
    const r2 = mulberry32(1);
    expect([r1(), r1(), r1()]).toEqual([r2(), r2(), r2()]);
  });

  test('only http targets on loopback; an unreachable target answers 502', async () => {
    await expect(startFaultProxy('http://192.0.2.1:8080/fhir')).rejects.toThrow(/loopback/);
    await expect(startFaultProxy('http://example.org/fhir')).rejects.toThrow(/loopback/);
    await expect(startFaultProxy('https://127.0.0.1:8443/fhir')).rejects.toThrow(/http/);
    const down = await startSandbox();
    const url = down.baseUrl;
    await down.close();
    const proxy = await startFaultProxy(url);
    try {
      expect((await fetch(`${proxy.baseUrl}/metadata`)).status).toBe(502);
    } finally {
      await proxy.close();
    }
  });
});
