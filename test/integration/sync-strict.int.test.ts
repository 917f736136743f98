/**
 * The sync engine against the STRICT sandbox (src/sandbox/strict.ts: a real FHIR server's behaviour —
 * R4 search parameters per type, server-assigned ids, `Prefer: return=minimal`, transactions run as
 * batches or atomic with the real limits, a per-client quota), over HTTP, with a recording proxy in
 * between that counts what reached the server entry by entry (helpers/recording-proxy.ts):
 *
 * 1. capability-aware keys: every example episode is delivered, AdverseEvent and Provenance keyed by
 *    `_tag` (found once each), the server never answers 4xx;
 * 2. an answer that does not account for every entry (empty `return=minimal` bodies, a batch-response
 *    without entries) is verified by reading back: `count` = the Bundle's entries, every resource there;
 * 3. per-entry policy: a quota running out mid-batch (429 per entry) retries only the entries not
 *    confirmed; an entry the server refuses → dead letter listing it (redacted reason), the entries
 *    written before recorded, a replay writes only what was missing;
 * 4. an atomic target against the server's atomic transactions: "too many entries" halves the chunks;
 * 5. two targets of a clinic at one server (racy conditional writes): no resource written twice.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Bundle, Identifier, Resource } from '@medplum/fhirtypes';
import { parseEpisode } from '../../src/kap/episode.js';
import { mapClinicEpisode, type MappedEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';
import type { SandboxStrictOption } from '../../src/sandbox/strict.js';
import type { WrittenCache } from '../../src/sync/bundle-writer.js';
import { parseTargets, type TargetInput } from '../../src/sync/config.js';
import { FhirTarget } from '../../src/sync/fhir-target.js';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../queues/sync-engine.js';
import { testCodec } from './helpers/codec.js';
import { startRecordingProxy, type RecordingProxy, type SeenEntry } from './helpers/recording-proxy.js';
import { cleanupPrefix, testPrefix, testRedisEndpoint } from './helpers/redis.js';
import { REPO_ROOT } from './helpers/sandbox.js';

const CLINIC = 'clinic-a';
const EXAMPLES = ['iv-ketamine-trd', 'sublingual-lozenge-ptsd', 'esketamine-mdd', 'urgent-signals'];

/** An example episode mapped for clinic-a as the service maps it (signals included). */
function example(name: string, patch?: (json: Record<string, unknown>) => void): MappedEpisode & { json: Record<string, unknown> } {
  const json = JSON.parse(readFileSync(`${REPO_ROOT}examples/${name}.json`, 'utf8')) as Record<string, unknown>;
  patch?.(json);
  const parsed = parseEpisode(json);
  if (!parsed.ok) {
    throw new Error(`example ${name} does not parse`);
  }
  return { json, ...mapClinicEpisode(parsed.episode, CLINIC) };
}

/** First identifier (array or single) of a resource. */
function identifierOf(r: Resource): Identifier | undefined {
  const raw = (r as { identifier?: Identifier | Identifier[] }).identifier;
  return Array.isArray(raw) ? raw[0] : raw;
}

/** The `system|value` a resource is keyed by at a server that cannot search its identifier: its tag, else its identifier. */
function tagToken(r: Resource): string {
  const tag = r.meta?.tag?.[0];
  if (tag?.system && tag.code) {
    return `${tag.system}|${tag.code}`;
  }
  const id = identifierOf(r);
  return `${id?.system}|${id?.value}`;
}

/** A search at the sandbox over HTTP: the matches. */
async function search(baseUrl: string, type: string, param: string, token: string): Promise<Resource[]> {
  const res = await fetch(`${baseUrl}/${type}?${param}=${encodeURIComponent(token)}&_count=50`, { headers: { accept: 'application/fhir+json' } });
  expect({ type, param, status: res.status }).toEqual({ type, param, status: 200 });
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource as Resource);
}

/** The key a resource is written by at the strict (R4) server: `_tag` for the types R4 cannot search by identifier. */
function keyOf(r: Resource): { param: string; token: string } {
  if (r.resourceType === 'AdverseEvent' || r.resourceType === 'Provenance') {
    return { param: '_tag', token: tagToken(r) };
  }
  const id = identifierOf(r) as Identifier;
  return { param: 'identifier', token: `${id.system}|${id.value}` };
}

/** Statuses the server answered per written key (conditional URL), in order. */
function statusesByKey(writes: SeenEntry[]): Map<string, (number | undefined)[]> {
  const out = new Map<string, (number | undefined)[]>();
  for (const w of writes) {
    out.set(w.url, [...(out.get(w.url) ?? []), w.status]);
  }
  return out;
}

const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

/** Every resource of a Bundle is at the server exactly once, found by its key over HTTP. */
async function expectAllOnce(r: Rig, bundle: Bundle): Promise<void> {
  r.sandbox.controls.quota()?.reset();
  const counts: string[] = [];
  for (const [i, e] of (bundle.entry ?? []).entries()) {
    const resource = e.resource as Resource;
    const { param, token } = keyOf(resource);
    const n = (await search(r.sandbox.baseUrl, resource.resourceType, param, token)).length;
    if (n !== 1) {
      counts.push(`${i} ${resource.resourceType}: ${n}`);
    }
  }
  expect(counts).toEqual([]);
}

interface Rig {
  sandbox: RunningSandbox;
  proxy: RecordingProxy;
  engine: SyncEngine;
  prefix: string;
  close(): Promise<void>;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * A strict sandbox, a recording proxy in front of it and an engine whose targets go through the proxy.
 * @param strict - the sandbox's strict options
 * @param targets - the targets (url filled in with the proxy's)
 * @param engine - engine option overrides
 */
async function startRig(
  strict: SandboxStrictOption,
  targets: Partial<TargetInput>[] = [{ id: 'ehr-main', roles: ['ehr'] }],
  engine: Partial<SyncEngineOptions> = {}
): Promise<Rig> {
  const sandbox = await startSandbox({ strict });
  const proxy = await startRecordingProxy(sandbox.baseUrl);
  const prefix = testPrefix();
  const e = createSyncEngine({
    redis: testRedisEndpoint(),
    prefix,
    codec: testCodec(),
    policy: { attempts: 6, backoffMs: 50 },
    lockRetryMs: 50,
    ...engine,
    targets: targets.map((t) => ({ clinicId: CLINIC, type: 'fhir', url: proxy.baseUrl, timeoutMs: 5000, ...t }) as TargetInput),
  });
  await e.startWorkers();
  rig = {
    sandbox,
    proxy,
    engine: e,
    prefix,
    close: async () => {
      await e.close();
      await proxy.close();
      await sandbox.close();
      await cleanupPrefix(prefix);
    },
  };
  return rig;
}

describe('strict sandbox: capability-aware keys', () => {
  test('every example episode delivered; AdverseEvent and Provenance keyed by _tag, found once; never a 4xx', async () => {
    const r = await startRig({ quota: false });
    const episodes = EXAMPLES.map((n) => example(n));
    const bundles = episodes.map((e) => e.bundle);
    const submitted = await Promise.all(episodes.map((e) => r.engine.submitEpisode(e)));
    const statuses = await r.engine.settle(submitted.flatMap((s) => s.jobIds));
    expect(statuses.map((s) => [s.recordId, s.result?.status ?? s.deadLetter?.code])).toEqual(statuses.map((s) => [s.recordId, 'delivered']));
    expect(statuses.map((s) => s.result?.count)).toEqual(bundles.map((b) => b.entry?.length));
    expect(await r.engine.listDeadLetters()).toHaveLength(0);

    // Never a 4xx: not for a request, not for an entry inside a batch.
    expect(r.sandbox.controls.requests.filter((q) => (q.status ?? 0) >= 400)).toEqual([]);
    expect(r.proxy.log.filter((q) => q.status >= 400)).toEqual([]);
    expect(r.proxy.writes().filter((w) => (w.status ?? 0) >= 400)).toEqual([]);
    // The server's /metadata was read, and no entry searched a parameter R4 lacks.
    expect(r.proxy.log.some((q) => q.url.startsWith('/metadata'))).toBe(true);
    const tagKeyed = r.proxy.writes().filter((w) => /^(AdverseEvent|Provenance)\?/.test(w.url));
    expect(tagKeyed.length).toBeGreaterThanOrEqual(EXAMPLES.length + 5);
    expect(tagKeyed.filter((w) => !w.url.includes('?_tag=')).map((w) => w.url.split('?')[0])).toEqual([]);

    let tagged = 0;
    for (const bundle of bundles) {
      for (const e of bundle.entry ?? []) {
        const resource = e.resource as Resource;
        if (resource.resourceType === 'AdverseEvent' || resource.resourceType === 'Provenance') {
          const found = await search(r.sandbox.baseUrl, resource.resourceType, '_tag', tagToken(resource));
          expect({ type: resource.resourceType, n: found.length }).toEqual({ type: resource.resourceType, n: 1 });
          tagged += 1;
        } else {
          const id = identifierOf(resource) as Identifier;
          const found = await search(r.sandbox.baseUrl, resource.resourceType, 'identifier', `${id.system}|${id.value}`);
          expect({ type: resource.resourceType, n: found.length }).toEqual({ type: resource.resourceType, n: 1 });
        }
      }
    }
    expect(tagged).toBeGreaterThanOrEqual(EXAMPLES.length + 5); // a Provenance each, and the side effects
  });
});

describe('strict sandbox: an answer that does not account for every entry is verified by reading back', () => {
  test('Prefer: return=minimal (empty bodies): delivered with count = entries, each written once, all at the server', async () => {
    const r = await startRig({ quota: false, preferMinimal: true });
    r.proxy.headers.prefer = 'return=minimal';
    const episode = example('iv-ketamine-trd');
    const { bundle } = episode;
    const n = bundle.entry?.length ?? 0;
    const [s] = await r.engine.settle((await r.engine.submitEpisode(episode)).jobIds);
    expect(s.result).toMatchObject({ status: 'delivered', count: n, sent: n });
    const batches = r.proxy.log.filter((q) => q.entries);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.map((b) => [b.status, b.emptyBody])).toEqual(batches.map(() => [200, true]));
    // Every entry sent once (confirmed by reading it back, not sent again), and read back by its key.
    const byKey = statusesByKey(r.proxy.writes());
    expect(byKey.size).toBe(n);
    expect([...byKey.values()].filter((v) => v.length !== 1)).toEqual([]);
    expect(r.proxy.log.filter((q) => q.method === 'GET' && /^\/[A-Za-z]+\?(identifier|_tag)=/.test(q.url)).length).toBeGreaterThanOrEqual(n);
    expect((s.result?.requests ?? 0)).toBeGreaterThan(n);
    await expectAllOnce(r, bundle);
  });

  test('a batch-response that leaves entries out: those are read back; entries the server ignored are sent again, nothing else', async () => {
    const r = await startRig({ quota: false });
    const episode = example('sublingual-lozenge-ptsd');
    const { bundle } = episode;
    const n = bundle.entry?.length ?? 0;
    // The first Bundle of more than 4 entries: the server silently ignores its last 2 entries, and its
    // answer (proxy) keeps only its first entry: the others are unaccounted for.
    let ignored: string[] = [];
    r.proxy.alterRequest = (b) => {
      if (ignored.length || (b.entry?.length ?? 0) <= 4) {
        return undefined;
      }
      const kept = (b.entry ?? []).slice(0, -2);
      ignored = (b.entry ?? []).slice(-2).map((e) => decodeURIComponent(e.request?.url ?? ''));
      return { ...b, entry: kept };
    };
    r.proxy.alterAnswer = (text, q) => {
      if (!q.entries || q.entries.length <= 2 || !text) {
        return text;
      }
      const answer = JSON.parse(text) as Bundle;
      return JSON.stringify({ ...answer, entry: answer.entry?.slice(0, 1) });
    };
    const [s] = await r.engine.settle((await r.engine.submitEpisode(episode)).jobIds);
    expect(ignored).toHaveLength(2);
    expect(s.result).toMatchObject({ status: 'delivered', count: n });
    // The two ignored entries were not confirmed by the read-back: the job ran again for them.
    expect(s.attemptsMade).toBeGreaterThanOrEqual(1);
    const byKey = statusesByKey(r.proxy.writes());
    expect(byKey.size).toBe(n);
    for (const [key, statuses] of byKey) {
      expect({ key, written: statuses.filter(ok).length }).toEqual({ key, written: 1 });
      expect({ key, sent: statuses.length }).toEqual({ key, sent: 1 });
    }
    await expectAllOnce(r, bundle);
  });
});

describe('strict sandbox: per-entry policy', () => {
  test('a quota running out mid-batch (429 per entry): only entries not confirmed are sent again; delivered once', async () => {
    // 40 conditional creates (120 points each) per 1 s window: the episode's largest wave (46 entries,
    // one request) runs out mid-Bundle whatever the timing.
    const r = await startRig({ quota: { pointsPerMinute: 4800, windowMs: 1000 } });
    const episode = example('sublingual-lozenge-ptsd');
    const { bundle } = episode;
    const n = bundle.entry?.length ?? 0;
    const [s] = await r.engine.settle((await r.engine.submitEpisode(episode)).jobIds, 60_000);
    expect(s.result).toMatchObject({ status: 'delivered', count: n });
    expect(await r.engine.listDeadLetters()).toHaveLength(0);
    const writes = r.proxy.writes();
    const throttled = writes.filter((w) => w.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    // Mid-Bundle: a Bundle answered with written entries and throttled ones.
    expect(r.proxy.log.some((q) => q.entries?.some((e) => ok(e.status)) && q.entries.some((e) => e.status === 429))).toBe(true);
    // Each key written once, last; never sent again once confirmed; nothing but 2xx and 429.
    const byKey = statusesByKey(writes);
    expect(byKey.size).toBe(n);
    for (const [key, statuses] of byKey) {
      expect({ key, statuses: statuses.filter(ok).length, last: ok(statuses.at(-1)) }).toEqual({ key, statuses: 1, last: true });
      expect({ key, others: statuses.filter((x) => !ok(x) && x !== 429) }).toEqual({ key, others: [] });
    }
    expect(writes).toHaveLength(n + throttled.length);
    expect((await r.engine.deliveryLog(CLINIC)).map((l) => [l.recordId, l.count])).toEqual([['ep-2044', n]]);
    await expectAllOnce(r, bundle);
  });

  test('an entry the server refuses (two resources carry its key) → dead letter listing it; a replay writes only what was missing', async () => {
    const r = await startRig({ quota: false });
    const episode = example('iv-ketamine-trd');
    const { bundle } = episode;
    const entries = bundle.entry ?? [];
    const index = entries.findIndex((e) => e.resource?.resourceType === 'Patient');
    const patient = entries[index].resource as Resource;
    // The server already holds two charts with the clinic's patient identifier (a merge gone wrong):
    // a conditional update cannot pick one. The real server's batch answers that entry 400 "Conditional
    // PUT matched multiple resources" (fhir-router's BatchProcessor; a single PUT would be 412).
    const copies = [];
    for (let i = 0; i < 2; i++) {
      copies.push(await r.sandbox.controls.repo.createResource({ resourceType: 'Patient', identifier: (patient as { identifier?: Identifier[] }).identifier }));
    }
    const { jobIds } = await r.engine.submitEpisode(episode);
    const [failed] = await r.engine.settle(jobIds);
    expect(failed.state).toBe('failed');
    const [dead] = await r.engine.listDeadLetters(CLINIC);
    expect(dead).toMatchObject({ jobId: jobIds[0], code: 'http-400', status: 400 });
    expect(dead.entries).toEqual([{ index, resourceType: 'Patient', status: 400, reason: 'Conditional PUT matched multiple resources' }]);
    const text = JSON.stringify(dead);
    for (const value of ['Avery', 'Testperson', 'pt-0042', 'MRN-55501', '1984-07-19', '555-0100']) {
      expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    }
    // Entries written before the refusal are recorded.
    const first = r.proxy.writes();
    const confirmed = new Set(first.filter((w) => ok(w.status)).map((w) => w.url));
    expect(confirmed.size).toBeGreaterThan(0);
    expect(confirmed.size).toBeLessThan(entries.length - 1);

    // Fixed at the server (the duplicate chart removed): the replay writes only what was missing.
    await r.sandbox.controls.repo.deleteResource('Patient', copies[1].id as string);
    await r.engine.replay(dead.jobId, CLINIC);
    const [s] = await r.engine.settle(jobIds);
    expect(s.result).toMatchObject({ status: 'delivered', count: entries.length });
    const replayed = r.proxy.writes().slice(first.length);
    const replayedKeys = new Set(replayed.map((w) => w.url));
    expect([...replayedKeys].filter((k) => confirmed.has(k))).toEqual([]);
    expect(replayedKeys.size + confirmed.size).toBe(entries.length);
    expect(replayed.every((w) => ok(w.status))).toBe(true);
    expect(s.result?.sent).toBe(entries.length - confirmed.size);
    await expectAllOnce(r, bundle);
    expect((await r.sandbox.controls.find('Patient'))[0]?.id).toBe(copies[0].id);
  });

  test('a refusal whose text echoes the resource: the dead letter keeps the reason without any value of it', async () => {
    const r = await startRig({ quota: false }, [{ id: 'ehr-main', roles: ['ehr'], transaction: 'never' }]);
    const episode = example('iv-ketamine-trd');
    const { bundle } = episode;
    const entries = bundle.entry ?? [];
    const index = entries.findIndex((e) => e.resource?.resourceType === 'Patient');
    // As EHRs do: the diagnostics quote the submitted chart.
    r.sandbox.controls.fail({
      method: 'PUT',
      path: '^/Patient\\?',
      times: 1,
      status: 422,
      outcome: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'business-rule', diagnostics: 'Patient Avery Testperson (MRN-55501, born 1984-07-19) conflicts with an existing chart' }],
      },
    });
    const { jobIds } = await r.engine.submitEpisode(episode);
    await r.engine.settle(jobIds);
    const [dead] = await r.engine.listDeadLetters(CLINIC);
    expect(dead).toMatchObject({ code: 'http-422', status: 422 });
    expect(dead.entries).toHaveLength(1);
    const [refused] = dead.entries ?? [];
    expect(refused).toMatchObject({ index, resourceType: 'Patient', status: 422 });
    expect(refused.reason).toContain('conflicts with an existing chart');
    for (const value of ['Avery', 'Testperson', 'MRN-55501', '1984-07-19']) {
      expect({ value, found: JSON.stringify(dead).includes(value) }).toEqual({ value, found: false });
    }
    const first = r.proxy.writes();
    const confirmed = new Set(first.filter((w) => ok(w.status)).map((w) => w.url));
    expect(confirmed.size).toBeGreaterThan(0);
    await r.engine.replay(dead.jobId, CLINIC);
    const [s] = await r.engine.settle(jobIds);
    expect(s.result).toMatchObject({ status: 'delivered', count: entries.length, mode: 'one-by-one' });
    const replayed = r.proxy.writes().slice(first.length).map((w) => w.url);
    expect(replayed.filter((k) => confirmed.has(k))).toEqual([]);
    expect(new Set(replayed).size + confirmed.size).toBe(entries.length);
    await expectAllOnce(r, bundle);
  });
});

describe('strict sandbox: atomic target', () => {
  test('the server\'s transaction limits halve the chunks; everything written once, atomically; the log says transaction', async () => {
    const r = await startRig({ quota: false, transactions: 'atomic' }, [{ id: 'ehr-main', roles: ['ehr'], transaction: 'atomic' }]);
    const episode = example('iv-ketamine-trd');
    const { bundle } = episode;
    const n = bundle.entry?.length ?? 0;
    const [s] = await r.engine.settle((await r.engine.submitEpisode(episode)).jobIds);
    expect(s.result).toMatchObject({ status: 'delivered', count: n, mode: 'transaction' });
    const posts = r.proxy.log.filter((q) => q.entries);
    // Never sent as a batch (an atomic target), refused for size, then accepted in chunks the server takes.
    expect(posts.filter((p) => p.bundleType !== 'transaction').map((p) => p.bundleType)).toEqual([]);
    // Refused for size, halved, and the size that works kept for the later waves: few refusals, each smaller.
    const refused = posts.filter((p) => p.status === 400).map((p) => p.entries?.length ?? 0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.every((size, i) => i === 0 || size < refused[i - 1])).toBe(true);
    const accepted = posts.filter((p) => p.status === 200);
    expect(accepted.filter((p) => (p.entries?.length ?? 0) > 8).map((p) => p.entries?.length)).toEqual([]);
    expect(posts.filter((p) => p.status !== 200 && p.status !== 400)).toEqual([]);
    const byKey = statusesByKey(accepted.flatMap((p) => p.entries ?? []));
    expect(byKey.size).toBe(n);
    expect([...byKey.values()].filter((v) => v.length !== 1 || !ok(v[0]))).toEqual([]);
    const log = await r.engine.deliveryLog(CLINIC);
    expect(log.map((l) => [l.recordType, l.mode, l.count])).toEqual([['episode', 'transaction', n]]);
    await expectAllOnce(r, bundle);
  });
});

describe('strict sandbox: atomic target, the update limit', () => {
  test('60 independent updates: refused for the 50-update limit, then for 8 entries; halved to chunks it takes, never a batch', async () => {
    const sandbox = await startSandbox({ strict: { quota: false, transactions: 'atomic' } });
    const proxy = await startRecordingProxy(sandbox.baseUrl);
    try {
      const [config] = parseTargets([{ id: 't', clinicId: CLINIC, type: 'fhir', roles: ['ehr'], url: proxy.baseUrl, transaction: 'atomic' }]);
      const target = new FhirTarget(config);
      const recorded: string[] = [];
      const cache: WrittenCache = { known: new Map(), record: async (e) => void recorded.push(...e.map((x) => x.token)) };
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: Array.from({ length: 60 }, (_, i) => ({
          fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:kap:test', value: `p-${i}` }], active: true } as Resource,
          request: { method: 'PUT', url: `Patient?identifier=urn:kap:test|p-${i}` },
        })),
      };
      const result = await target.write(bundle, cache);
      expect([result.mode, result.written.length, new Set(result.written).size]).toEqual(['transaction', 60, 60]);
      const posts = proxy.log.filter((q) => q.entries);
      expect(posts.filter((p) => p.bundleType !== 'transaction')).toEqual([]);
      // Each refusal halves, and the size that works is kept: 60 (updates) → 30 → 15 (entries) → 8.
      expect(posts.filter((p) => p.status !== 200).map((p) => [p.status, p.entries?.length])).toEqual([[400, 60], [400, 30], [400, 15]]);
      expect(posts.filter((p) => p.status === 200).every((p) => (p.entries?.length ?? 0) <= 8)).toBe(true);
      expect(new Set(recorded).size).toBe(60);
      expect(await sandbox.controls.find('Patient')).toHaveLength(60);
    } finally {
      await proxy.close();
      await sandbox.close();
    }
  });
});

describe('strict sandbox: two targets of a clinic at one server', () => {
  test('EHR and prescriber targets at once, racy conditional writes: every shared resource created once', async () => {
    const r = await startRig({ quota: false }, [
      { id: 'a-ehr', roles: ['ehr'] },
      { id: 'a-rx', roles: ['prescriber'] },
    ]);
    r.sandbox.controls.repo.racyConditionalWrites = true;
    r.sandbox.controls.repo.racyWindowMs = 10; // the race stays (two writes within 10 ms both see none), the test fast
    const episode = example('iv-ketamine-trd');
    const { bundle } = episode;
    const { jobIds } = await r.engine.submitEpisode(episode);
    expect(jobIds.filter((j) => j.startsWith('rx_')).length).toBeGreaterThanOrEqual(2);
    const statuses = await r.engine.settle(jobIds);
    expect(statuses.map((s) => s.result?.status ?? s.deadLetter?.code)).toEqual(jobIds.map(() => 'delivered'));
    const shared = ['Organization', 'Practitioner', 'Patient', 'Encounter', 'MedicationRequest'];
    for (const type of shared) {
      const keys = (bundle.entry ?? []).map((e) => e.resource as Resource).filter((x) => x.resourceType === type).map((x) => keyOf(x).token);
      const atServer = await r.sandbox.controls.find(type);
      expect({ type, n: atServer.length }).toEqual({ type, n: new Set(keys).size });
      for (const token of keys) {
        expect({ type, token, n: (await r.sandbox.controls.find(type, token)).length }).toEqual({ type, token, n: 1 });
      }
    }
    // Created once each: a single 201 per key across both targets' writes.
    const created = statusesByKey(r.proxy.writes());
    expect([...created.entries()].filter(([, v]) => v.filter((x) => x === 201).length !== 1).map(([k]) => k)).toEqual([]);
    await expectAllOnce(r, bundle);
  });
});
