/**
 * Issue 11's test matrix against the real FHIR server (the open-source Medplum server of
 * ../shared/real-ehr), through the real service (POST /v1/episodes), the real server as the clinic's EHR
 * and as its prescriber / alerts endpoint (two targets, one server):
 * every example episode, 4 distinct copies each (REAL_EHR_COPIES); then every resource `kap-fhir map` produces for each
 * copy is looked up at the server by its key — found exactly once, references resolving to resources that
 * exist, codes and `meta.profile` intact — with 0 dead letters. Then: the same versions again (nothing new
 * written); version + 1 with a changed vital (the change at the server, once); the same with the server's
 * atomic-transaction feature on (a second server) and the targets sending atomic transactions; and with
 * faults between the service and the server (500, 429 with Retry-After, a timeout on a large Bundle, a
 * connection dropped after the server wrote) through a fault proxy.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../../src/api/auth.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { parseEpisode, type KapEpisode } from '../../src/kap/index.js';
import { startService, type RunningService } from '../../src/server/service.js';
import { createServiceSyncEngine } from '../../src/server/service-sync-engine.js';
import { exampleEpisodes, testServiceConfig } from '../integration/api-harness.js';
import { cleanupPrefix, testPrefix } from '../integration/helpers/redis.js';
import { codingsOf, referencesIn } from '../integration/helpers/sync-harness.js';
import { fault, startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import type { FhirLookup } from '../helpers/twin-episodes.js';
import { describeRealEhr, realEhr, realEhrAtomic, realEhrLookup, realEhrTarget, RUN_ID, settleJobs, type JobView, type RealEhr } from './real-ehr.js';

/**
 * Copies per example on the server that runs transactions as batches: 4 × 8 examples = 32 episodes, ~2 700
 * resources written concurrently (10 copies took CI past its 30 minutes; `REAL_EHR_COPIES=10` for a longer run).
 */
const COPIES = Number(process.env.REAL_EHR_COPIES ?? 4);
/** Copies per example in the fault run (each fault costs retries and a held answer: fewer copies, same checks). */
const FAULT_COPIES = Number(process.env.REAL_EHR_FAULT_COPIES ?? 3);
/**
 * Copies per example on the atomic server: its transactions run at SERIALIZABLE isolation and conflict
 * under concurrency (409, retried): fewer copies, the same checks, a CI run under 30 minutes.
 */
const ATOMIC_COPIES = Number(process.env.REAL_EHR_ATOMIC_COPIES ?? 3);

/** The examples, `copies` distinct copies each (episode and patient ids suffixed, MRNs too). */
function copiesOfExamples(tag: string, copies: number): Record<string, unknown>[] {
  return exampleEpisodes().flatMap(([, e]) =>
    Array.from({ length: copies }, (_, i) => {
      const suffix = `${tag}${i}`;
      const patient = e.patient as { id: string; identifiers?: { value: string }[] };
      return {
        ...e,
        id: `${String(e.id)}-${suffix}`,
        patient: {
          ...patient,
          id: `${patient.id}-${suffix}`,
          ...(patient.identifiers ? { identifiers: patient.identifiers.map((x) => ({ ...x, value: `${x.value}-${suffix}` })) } : {}),
        },
      };
    })
  );
}

/** A running service for one clinic whose EHR and prescriber targets are at `ehr` (or a proxy before it). */
async function serviceFor(clinicId: string, key: string, fhirBaseUrl: string, ehr: RealEhr, extra: Record<string, unknown> = {}): Promise<{ service: RunningService; prefix: string }> {
  const prefix = testPrefix();
  const base = { url: fhirBaseUrl, ...extra };
  const config = testServiceConfig(prefix, {
    clinics: [
      {
        id: clinicId,
        apiKeySha256: [hashApiKey(key)],
        targets: [realEhrTarget('real-ehr', clinicId, ['ehr'], base, ehr), realEhrTarget('real-rx', clinicId, ['prescriber', 'alerts'], base, ehr)],
      },
    ],
    sandbox: false,
  });
  const service = await startService({ config, api: true, workers: true, createSync: createServiceSyncEngine, env: {} });
  return { service, prefix };
}

/** POSTs (or PUTs) episodes; returns every job id. */
async function submit(service: RunningService, key: string, episodes: Record<string, unknown>[], method: 'POST' | 'PUT' = 'POST'): Promise<string[]> {
  const jobIds: string[] = [];
  for (const e of episodes) {
    const res = await fetch(`${service.url}/v1/episodes${method === 'PUT' ? `/${String(e.id)}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(e),
    });
    expect(res.status).toBe(202);
    jobIds.push(...((await res.json()) as { jobIds: string[] }).jobIds);
  }
  return jobIds;
}

/** The key token of a mapped resource: its first identifier, else its first tag. */
function keyOf(r: Resource): string | undefined {
  const raw = (r as { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }).identifier;
  const id = Array.isArray(raw) ? raw[0] : raw;
  const tag = r.meta?.tag?.[0];
  return id?.system && id.value ? `${id.system}|${id.value}` : tag?.system && tag.code ? `${tag.system}|${tag.code}` : undefined;
}

/** What the mapping made of each episode (JSON object) already: the same episodes are checked again after resubmission. */
const mappedOnce = new WeakMap<object, BundleEntry[]>();

/** The entries `kap-fhir map` makes of an episode for a clinic (mapped once per episode object: ~0.3 s of CPU each). */
function mappedEntries(json: object, episode: KapEpisode, clinicId: string): BundleEntry[] {
  let entries = mappedOnce.get(json);
  if (!entries) {
    entries = mapClinicEpisode(episode, clinicId).bundle.entry ?? [];
    mappedOnce.set(json, entries);
  }
  return entries;
}

/**
 * Every resource the mapping makes for the episodes, looked up at the server: problems as text (empty when
 * each is there exactly once, with its codes and profiles, and every reference resolves).
 */
async function problemsAtServer(lookup: FhirLookup, episodes: Record<string, unknown>[], clinicId: string): Promise<{ problems: string[]; found: Map<string, Resource> }> {
  const problems: string[] = [];
  const found = new Map<string, Resource>();
  const expected: { mapped: Resource; at: Resource }[] = [];
  for (const episode of episodes) {
    const parsed = parseEpisode(episode);
    if (!parsed.ok) {
      throw new Error('test setup: invalid episode');
    }
    for (const e of mappedEntries(episode, parsed.episode, clinicId)) {
      const mapped = e.resource as Resource;
      const token = keyOf(mapped) as string;
      const at = await lookup.byIdentifier(mapped.resourceType, token);
      if (at.length !== 1) {
        problems.push(`${mapped.resourceType} found ${at.length} times (episode ${String(episode.id)})`);
        continue;
      }
      found.set(`${at[0].resourceType}/${at[0].id}`, at[0]);
      expected.push({ mapped, at: at[0] });
    }
  }
  for (const { mapped, at } of expected) {
    const missingCodes = codingsOf(mapped).filter((c) => !codingsOf(at).includes(c));
    if (missingCodes.length) {
      problems.push(`${mapped.resourceType}/${at.id}: ${missingCodes.length} codes lost`);
    }
    if ((mapped.meta?.profile ?? []).some((p) => !(at.meta?.profile ?? []).includes(p))) {
      problems.push(`${mapped.resourceType}/${at.id}: meta.profile lost`);
    }
    for (const ref of referencesIn(at)) {
      if (ref.startsWith('#')) {
        // a contained resource (racemic ketamine's Medication) must have come back inside the resource
        if (!((at as { contained?: Resource[] }).contained ?? []).some((c) => `#${c.id}` === ref)) {
          problems.push(`${mapped.resourceType}/${at.id}: contained ${ref} lost`);
        }
        continue;
      }
      if (!found.has(ref)) {
        problems.push(`${mapped.resourceType}/${at.id}: reference ${ref.split('/')[0]} does not resolve`);
      }
    }
    if (referencesIn(at).length !== referencesIn(mapped).length) {
      problems.push(`${mapped.resourceType}/${at.id}: ${referencesIn(mapped).length - referencesIn(at).length} references missing`);
    }
  }
  return { problems, found };
}

/** Jobs that did not complete, with their dead letter's code and status and their attempts (ids and codes only). */
function unfinished(states: JobView[]): string[] {
  return states
    .filter((s) => s.state !== 'completed')
    .map((s) => {
      const dl = s.deadLetter as { code?: string; status?: number } | undefined;
      return `${s.id} ${s.state} ${dl?.code ?? '-'} ${dl?.status ?? '-'} attempts=${String(s.attemptsMade)} ${String(s.failedReason ?? '')}`;
    });
}

/** The dead letters of the clinic. */
async function deadLetters(service: RunningService, key: string): Promise<{ id: string; code: string }[]> {
  const res = await fetch(`${service.url}/v1/dead-letters`, { headers: { authorization: `Bearer ${key}` } });
  return ((await res.json()) as { items: { id: string; code: string }[] }).items;
}

describeRealEhr('delivery to the real FHIR server: the matrix', () => {
  const key = `key-${randomBytes(8).toString('hex')}`;
  const running: { service: RunningService; prefix: string }[] = [];
  let proxy: FaultProxy | undefined;

  afterAll(async () => {
    await proxy?.close();
    for (const r of running) {
      await r.service.close();
      await cleanupPrefix(r.prefix);
    }
  });

  const clinicOf = (tag: string): string => `clinic-${RUN_ID}-${tag}`;

  /** Delivers every copy, checks the server; then the same versions again, then a new version of some. */
  async function matrix(tag: string, ehr: RealEhr, fhirBaseUrl: string, extra: Record<string, unknown> = {}, copies = COPIES): Promise<void> {
    const clinicId = clinicOf(tag);
    const r = await serviceFor(clinicId, key, fhirBaseUrl, ehr, extra);
    running.push(r);
    const episodes = copiesOfExamples(tag, copies);
    const started = Date.now();
    const jobIds = await submit(r.service, key, episodes);
    const states = await settleJobs(r.service.sync, jobIds, 900000);
    const delivered = Date.now();
    expect(unfinished(states)).toEqual([]);
    expect(await deadLetters(r.service, key)).toEqual([]);
    const first = await problemsAtServer(realEhrLookup(ehr), episodes, clinicId);
    expect(first.problems).toEqual([]);
    process.stdout.write(
      `[real-ehr ${tag}] ${episodes.length} episodes, ${jobIds.length} jobs, ${first.found.size} resources found once each` +
        ` (submitted and delivered in ${Math.round((delivered - started) / 1000)} s, checked in ${Math.round((Date.now() - delivered) / 1000)} s)\n`
    );

    // The same versions again: the first job ids, nothing new at the server.
    const again = await submit(r.service, key, episodes);
    expect(again).toEqual(jobIds);
    const second = await problemsAtServer(realEhrLookup(ehr), episodes, clinicId);
    expect(second.problems).toEqual([]);
    expect([...second.found.keys()].sort()).toEqual([...first.found.keys()].sort());
    expect([...second.found.values()].map((x) => x.meta?.versionId).sort()).toEqual([...first.found.values()].map((x) => x.meta?.versionId).sort());

    // The next version of one copy per example with a changed vital sign: the change at the server, once.
    const changed = exampleEpisodes().map((_, i) => {
      const e = structuredClone(episodes[i * copies]) as Record<string, unknown> & { sessions: { kind: string; vitals?: { kind: string; value?: number }[] }[] };
      const vital = e.sessions.flatMap((s) => s.vitals ?? []).find((v) => v.kind === 'heart-rate');
      if (vital) {
        vital.value = (vital.value ?? 70) + 1;
      }
      return { ...e, version: Number(e.version ?? 1) + 1 };
    });
    const v2Jobs = await submit(r.service, key, changed, 'PUT');
    const v2States = await settleJobs(r.service.sync, v2Jobs, 600000);
    expect(unfinished(v2States)).toEqual([]);
    const third = await problemsAtServer(realEhrLookup(ehr), changed, clinicId);
    expect(third.problems).toEqual([]);
    const heartRates = [...third.found.values()].filter(
      (x) => x.resourceType === 'Observation' && codingsOf((x as { code?: unknown }).code).includes('http://loinc.org|8867-4')
    );
    const expectedRates = changed.flatMap((e) =>
      (e as { sessions: { vitals?: { kind: string; value?: number }[] }[] }).sessions.flatMap((s) => (s.vitals ?? []).filter((v) => v.kind === 'heart-rate').map((v) => v.value))
    );
    expect(heartRates.map((x) => (x as { valueQuantity?: { value?: number } }).valueQuantity?.value).sort()).toEqual(expectedRates.sort());
    expect(await deadLetters(r.service, key)).toEqual([]);
  }

  test(`every example × ${COPIES} to the real server (transactions run as batches): found once each, 0 dead letters`, async () => {
    await matrix('b', realEhr as RealEhr, (realEhr as RealEhr).fhirBaseUrl);
  }, 1_200_000);

  test(`the same against a server with atomic transactions, sent as atomic transactions (× ${ATOMIC_COPIES})`, async () => {
    if (!realEhrAtomic) {
      throw new Error('REAL_EHR_ATOMIC is not set by the global setup');
    }
    await matrix('a', realEhrAtomic, realEhrAtomic.fhirBaseUrl, { transaction: 'atomic' }, ATOMIC_COPIES);
  }, 1_200_000);

  test(`with faults between the service and the server (× ${FAULT_COPIES}): 500, 429 + Retry-After, a timeout on a large Bundle, a connection dropped after the write`, async () => {
    const ehr = realEhr as RealEhr;
    proxy = await startFaultProxy(ehr.fhirBaseUrl, {
      seed: 20261204,
      rules: [
        { method: 'POST', path: /^\/$/, probability: 0.1, fault: fault.status(500) },
        { method: 'POST', path: /^\/$/, probability: 0.1, fault: fault.rateLimit(1) },
        { method: 'POST', path: /^\/$/, body: /"Observation"[\s\S]*"Observation"[\s\S]*"Observation"/, probability: 0.2, fault: fault.delay(20000) },
        { method: 'POST', path: /^\/$/, probability: 0.1, fault: fault.dropAfter() },
        { method: 'GET', probability: 0.05, fault: fault.status(503) },
      ],
    });
    await matrix('f', ehr, proxy.baseUrl, { timeoutMs: 8000, timeoutPerEntryMs: 50 }, FAULT_COPIES);
    const fired = proxy.rules().map((x) => `${x.fault.kind}${x.fault.kind === 'status' ? x.fault.status : ''}: ${x.fired}`);
    process.stdout.write(`[real-ehr f] faults fired: ${fired.join(', ')}\n`);
    expect(proxy.rules().every((x) => x.fired > 0)).toBe(true);
  }, 1_200_000);
});
