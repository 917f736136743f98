/**
 * The clinic API end to end: the real service on port 0, real Redis, the sandbox EHR as the
 * clinics' EHR. Examples → 202 → resources in the sandbox; invalid → 422 naming the field and no
 * job; tenancy; 401; 413; idempotency; versions; add a session; questionnaire results.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { Redis } from 'ioredis';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';
import { exampleEpisodes, invalidExamples, settleJob, startApiHarness, totalJobs, type ApiHarness } from './api-harness.js';
import { TEST_REDIS } from './helpers/redis.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

interface Accepted {
  episodeId: string;
  version: number;
  jobIds: string[];
  requestId: string;
}

describe('POST /v1/episodes', () => {
  test('no credentials → 401 OperationOutcome; a wrong key → 401', async () => {
    const res = await h.call('/v1/episodes', { method: 'POST', as: 'none', json: {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const body = (await res.json()) as OperationOutcome;
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue?.[0]?.code).toBe('login');
    const wrong = await fetch(`${h.url}/v1/jobs/x`, { headers: { authorization: 'Bearer not-a-key' } });
    expect(wrong.status).toBe(401);
  });

  test.each(exampleEpisodes())('%s → 202 → its resources reach the sandbox EHR', async (_name, episode) => {
    const res = await h.call('/v1/episodes', { method: 'POST', json: episode, headers: { 'x-request-id': 'req-example-1' } });
    const body = (await res.json()) as Accepted;
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('req-example-1');
    expect(body.episodeId).toBe(episode.id);
    expect(body.jobIds.length).toBeGreaterThan(0);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${encodeURIComponent(body.jobIds[0] as string)}`);
    const ehrJob = body.jobIds.find((j) => j.startsWith('ehr_')) as string;
    const settled = await settleJob(h, ehrJob);
    expect(settled.state).toBe('completed');
    expect(settled.requestId).toBe('req-example-1');
    // The tenant is the credential's clinic: identifiers carry clinic-a's system.
    const system = clinicIdentifierSystem('clinic-a');
    const patient = episode.patient as { id: string };
    expect(await h.sandbox.controls.find('Patient', `${system}|${patient.id}`)).toHaveLength(1);
    expect(await h.sandbox.controls.find('EpisodeOfCare', `${system}|${String(episode.id)}`)).toHaveLength(1);
  });

  test.each(invalidExamples().map((x) => [x.name, x.body, x.expected] as const))(
    'invalid %s → 422 naming the field, nothing enqueued',
    async (_name, body, expected) => {
    const before = await totalJobs(h);
    const res = await h.call('/v1/episodes', { method: 'POST', json: body });
    expect(res.status).toBe(422);
    const o = (await res.json()) as OperationOutcome;
    expect(o.resourceType).toBe('OperationOutcome');
    const expressions = (o.issue ?? []).flatMap((i) => i.expression ?? []);
    expect(expressions).toContain(expected.expression);
    expect(await totalJobs(h)).toBe(before);
    // No submitted value is echoed (the outcome names the field only).
    const text = JSON.stringify(o);
    const patient = (body as { patient?: { name?: { family?: string } } }).patient;
    if (patient?.name?.family) {
      expect(text).not.toContain(patient.name.family);
    }
    }
  );

  test('a body that is not JSON → 400; not JSON content type → 415', async () => {
    const bad = await h.call('/v1/episodes', { method: 'POST', body: '{"id":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    const text = await h.call('/v1/episodes', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  test('a 10 MB body → 413 OperationOutcome', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(10 * 1024 * 1024) });
    const res = await h.call('/v1/episodes', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as OperationOutcome).issue?.[0]?.code).toBe('too-costly');
  });

  test('JSON nested deeper than the limit → 413', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) {
      deep = { d: deep };
    }
    const res = await h.call('/v1/episodes', { method: 'POST', json: deep });
    expect(res.status).toBe(413);
  });
});

describe('tenancy', () => {
  test('clinic B cannot read clinic A’s job (404); an admin can', async () => {
    const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    const res = await h.call('/v1/episodes', { method: 'POST', json: episode });
    expect(res.status).toBe(202);
    const { jobIds } = (await res.json()) as Accepted;
    const jobId = jobIds[0] as string;
    expect((await h.call(`/v1/jobs/${jobId}`, { as: 'a' })).status).toBe(200);
    const asB = await h.call(`/v1/jobs/${jobId}`, { as: 'b' });
    expect(asB.status).toBe(404);
    expect(((await asB.json()) as OperationOutcome).issue?.[0]?.code).toBe('not-found');
    expect((await h.call(`/v1/jobs/${jobId}`, { as: 'admin' })).status).toBe(200);
    // The delivery log is per clinic: both clinics have delivered something, each sees only its own.
    expect((await settleJob(h, jobIds.find((j) => j.startsWith('ehr_')) as string)).state).toBe('completed');
    const asBPost = await h.call('/v1/episodes', { method: 'POST', as: 'b', json: { ...episode, id: 'ep-tenancy-b-1', version: 1 } });
    expect(asBPost.status).toBe(202);
    const bJob = ((await asBPost.json()) as Accepted).jobIds.find((j) => j.startsWith('ehr_')) as string;
    expect((await settleJob(h, bJob, 'b')).state).toBe('completed');
    const logA = (await (await h.call('/v1/delivery-log', { as: 'a' })).json()) as { items: { clinicId: string }[] };
    expect(logA.items.length).toBeGreaterThanOrEqual(1);
    expect(logA.items.filter((x) => x.clinicId !== 'clinic-a')).toEqual([]);
    const logB = (await (await h.call('/v1/delivery-log', { as: 'b' })).json()) as { items: { clinicId: string }[] };
    expect(logB.items.length).toBeGreaterThanOrEqual(1);
    expect(logB.items.filter((x) => x.clinicId !== 'clinic-b')).toEqual([]);
    // The rotated second key of clinic A reads it too.
    const rotated = await fetch(`${h.url}/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${h.keys.a}-rotated` } });
    expect(rotated.status).toBe(200);
  });

  test('an admin key without a clinic cannot submit episodes (403)', async () => {
    const [, episode] = exampleEpisodes()[0] as [string, Record<string, unknown>];
    expect((await h.call('/v1/episodes', { method: 'POST', as: 'admin', json: episode })).status).toBe(403);
  });
});

describe('versions, sessions, questionnaires', () => {
  const base = (): Record<string, unknown> =>
    structuredClone((exampleEpisodes().find(([n]) => n.startsWith('iv-ketamine')) ?? exampleEpisodes()[0])?.[1] ?? {});

  test('PUT a newer version → 202; the same or an older version → 409; id mismatch → 400', async () => {
    const e = { ...base(), id: 'ep-put-1', version: 1 };
    expect((await h.call('/v1/episodes/ep-put-1', { method: 'PUT', json: e })).status).toBe(202);
    const v2 = await h.call('/v1/episodes/ep-put-1', { method: 'PUT', json: { ...e, version: 2 } });
    expect(v2.status).toBe(202);
    expect(((await v2.json()) as Accepted).version).toBe(2);
    const same = await h.call('/v1/episodes/ep-put-1', { method: 'PUT', json: { ...e, version: 2 } });
    expect(same.status).toBe(409);
    const older = await h.call('/v1/episodes', { method: 'POST', json: { ...e, version: 1 } });
    expect(older.status).toBe(409);
    expect(((await older.json()) as OperationOutcome).issue?.[0]?.expression).toEqual(['version']);
    expect((await h.call('/v1/episodes/other-id', { method: 'PUT', json: { ...e, version: 3 } })).status).toBe(400);
  });

  test('POST the same version again: other content → 409 on version (never silently dropped); the same content → 202 with the first job ids', async () => {
    const e: Record<string, unknown> = { ...base(), id: 'ep-same-v4', version: 4 };
    const first = await h.call('/v1/episodes', { method: 'POST', json: e });
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as Accepted;
    expect((await settleJob(h, accepted.jobIds.find((j) => j.startsWith('ehr_')) as string)).state).toBe('completed');
    const before = await totalJobs(h);
    const changed = await h.call('/v1/episodes', { method: 'POST', json: { ...e, updatedAt: '2026-07-01T00:00:00Z' } });
    expect(changed.status).toBe(409);
    const o = (await changed.json()) as OperationOutcome;
    expect(o.issue?.[0]?.expression).toEqual(['version']);
    expect(o.issue?.[0]?.diagnostics ?? o.issue?.[0]?.details?.text).toMatch(/different episode was already accepted under this version/i);
    // The same content, keys in another order: a retry, answered with the first job ids.
    const reordered = Object.fromEntries(Object.entries(e).reverse());
    const again = await h.call('/v1/episodes', { method: 'POST', json: reordered });
    expect(again.status).toBe(202);
    expect(((await again.json()) as Accepted).jobIds).toEqual(accepted.jobIds);
    expect(await totalJobs(h)).toBe(before);
    // The kept episode is still the first one: a newer version is accepted and delivered.
    const v5 = await h.call('/v1/episodes', { method: 'POST', json: { ...e, version: 5, updatedAt: '2026-07-01T00:00:00Z' } });
    expect(v5.status).toBe(202);
    const v5Job = ((await v5.json()) as Accepted).jobIds.find((j) => j.startsWith('ehr_')) as string;
    expect(v5Job).not.toBe(accepted.jobIds.find((j) => j.startsWith('ehr_')));
    expect((await settleJob(h, v5Job)).state).toBe('completed');
  });

  test('an enqueue that fails leaves no partial write: the kept version is put back, and a retry is accepted and delivered', async () => {
    const redis = new Redis(TEST_REDIS);
    const stored = `${h.prefix}:api:episode:clinic-a:ep-enqueue-fail`;
    // A real failure in BullMQ's add script: the queue's job counter holds something INCR refuses.
    const counter = `${h.prefix}:ehr-sync-a-ehr:id`;
    try {
      const e: Record<string, unknown> = { ...base(), id: 'ep-enqueue-fail', version: 1 };
      const v1 = await h.call('/v1/episodes', { method: 'POST', json: e });
      expect(v1.status).toBe(202);
      const v1Jobs = ((await v1.json()) as Accepted).jobIds;
      await redis.set(counter, 'not-a-number');
      const v2 = await h.call('/v1/episodes', { method: 'POST', json: { ...e, version: 2 } });
      expect(v2.status).toBe(500);
      expect(await redis.hget(stored, 'version')).toBe('1');
      // A new episode whose enqueue fails is not kept at all.
      const fresh = await h.call('/v1/episodes', { method: 'POST', json: { ...e, id: 'ep-enqueue-fail-2' } });
      expect(fresh.status).toBe(500);
      expect(await redis.exists(`${h.prefix}:api:episode:clinic-a:ep-enqueue-fail-2`)).toBe(0);
      await redis.del(counter);
      // The same version 1 again is still a retry with the first job ids.
      const again = await h.call('/v1/episodes', { method: 'POST', json: e });
      expect(again.status).toBe(202);
      expect(((await again.json()) as Accepted).jobIds).toEqual(v1Jobs);
      // The client's retry of version 2 is accepted (not 409) and delivered.
      const retry = await h.call('/v1/episodes', { method: 'POST', json: { ...e, version: 2 } });
      expect(retry.status).toBe(202);
      const retryJob = ((await retry.json()) as Accepted).jobIds.find((j) => j.startsWith('ehr_')) as string;
      expect((await settleJob(h, retryJob)).state).toBe('completed');
      expect(await redis.hget(stored, 'version')).toBe('2');
    } finally {
      await redis.del(counter);
      redis.disconnect();
    }
  });

  test('the kept episode is encrypted at rest (no patient name in Redis)', async () => {
    const redis = new Redis(TEST_REDIS);
    try {
      const data = await redis.hget(`${h.prefix}:api:episode:clinic-a:ep-put-1`, 'data');
      expect(data).toMatch(/^v2\.[A-Za-z0-9_-]{11}\./); // v2.<key id>.… (src/crypto/at-rest-codec.ts)
      const family = (base().patient as { name: { family: string } }).name.family;
      expect(data).not.toContain(family);
    } finally {
      redis.disconnect();
    }
  });

  test('POST a session → a new version with the session; unknown episode → 404; duplicate → 409; bad session → 422', async () => {
    const e: Record<string, unknown> = { ...base(), id: 'ep-sess-1', version: 3 };
    expect((await h.call('/v1/episodes', { method: 'POST', json: e })).status).toBe(202);
    const practitioner = (e['careTeam'] as { id: string }[])[0]?.id as string;
    const session = { id: 's-new-1', kind: 'integration', start: '2026-06-01T10:00:00-04:00', end: '2026-06-01T11:00:00-04:00', practitionerIds: [practitioner] };
    const res = await h.call('/v1/episodes/ep-sess-1/sessions', { method: 'POST', json: session });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body.version).toBe(4);
    const settled = await settleJob(h, body.jobIds.find((j) => j.startsWith('ehr_')) as string);
    expect(settled.state).toBe('completed');
    const encounters = await h.sandbox.controls.find('Encounter', `${clinicIdentifierSystem('clinic-a')}|ep-sess-1/s-new-1`);
    expect(encounters).toHaveLength(1);
    expect((await h.call('/v1/episodes/ep-sess-1/sessions', { method: 'POST', json: session })).status).toBe(409);
    expect((await h.call('/v1/episodes/no-such-episode/sessions', { method: 'POST', json: session })).status).toBe(404);
    const bad = await h.call('/v1/episodes/ep-sess-1/sessions', { method: 'POST', json: { ...session, id: 's-new-2', practitionerIds: ['nobody'] } });
    expect(bad.status).toBe(422);
    const expressions = (((await bad.json()) as OperationOutcome).issue ?? []).flatMap((i) => i.expression ?? []);
    expect(expressions.some((x) => x.startsWith('practitionerIds'))).toBe(true);
  });

  test('sessions added concurrently: each accepted one gets its own version, the others 409', async () => {
    const e: Record<string, unknown> = { ...base(), id: 'ep-race-1', version: 1 };
    expect((await h.call('/v1/episodes', { method: 'POST', json: e })).status).toBe(202);
    const practitioner = (e['careTeam'] as { id: string }[])[0]?.id as string;
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        h.call('/v1/episodes/ep-race-1/sessions', {
          method: 'POST',
          json: { id: `s-race-${i}`, kind: 'follow-up', start: '2026-06-03T10:00:00-04:00', practitionerIds: [practitioner] },
        })
      )
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((x) => x === 202 || x === 409)).toBe(true);
    const versions = await Promise.all(answers.filter((r) => r.status === 202).map(async (r) => ((await r.json()) as Accepted).version));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions).size).toBe(versions.length);
  });

  test('POST /v1/questionnaire-responses: KAP form and FHIR QuestionnaireResponse → 202; unknown answer → 422', async () => {
    const e = { ...base(), id: 'ep-q-1', version: 1 };
    expect((await h.call('/v1/episodes', { method: 'POST', json: e })).status).toBe(202);
    const answers = { 'gad7-1': 1, 'gad7-2': 1, 'gad7-3': 0, 'gad7-4': 2, 'gad7-5': 1, 'gad7-6': 0, 'gad7-7': 1 };
    const form = { episodeId: 'ep-q-1', id: 'qr-new-1', instrument: 'gad7', authored: '2026-06-02T10:00:00-04:00', answers };
    const res = await h.call('/v1/questionnaire-responses', { method: 'POST', json: form });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Accepted).version).toBe(2);
    const fhir = {
      resourceType: 'QuestionnaireResponse',
      id: 'qr-new-2',
      questionnaire: 'https://kap-fhir.org/fhir/Questionnaire/gad7',
      status: 'completed',
      authored: '2026-06-09T10:00:00-04:00',
      item: Object.entries(answers).map(([linkId, score]) => ({ linkId, answer: [{ valueInteger: score }] })),
    };
    const viaFhir = await h.call('/v1/questionnaire-responses?episodeId=ep-q-1', {
      method: 'POST',
      body: JSON.stringify(fhir),
      headers: { 'content-type': 'application/fhir+json' },
    });
    expect(viaFhir.status).toBe(202);
    const accepted = (await viaFhir.json()) as Accepted;
    expect(accepted.version).toBe(3);
    const settled = await settleJob(h, accepted.jobIds.find((j) => j.startsWith('ehr_')) as string);
    expect(settled.state).toBe('completed');
    const qrs = await h.sandbox.controls.find('QuestionnaireResponse', `${clinicIdentifierSystem('clinic-a')}|ep-q-1/qr-new-2`);
    expect(qrs).toHaveLength(1);
    const bad = await h.call('/v1/questionnaire-responses', { method: 'POST', json: { ...form, id: 'qr-new-3', answers: { ...answers, 'gad7-1': 9 } } });
    expect(bad.status).toBe(422);
    const expressions = (((await bad.json()) as OperationOutcome).issue ?? []).flatMap((i) => i.expression ?? []);
    expect(expressions).toContain('answers.gad7-1');
  });
});

describe('Idempotency-Key', () => {
  test('same key + same body → the same answer; same key + other body → 409', async () => {
    const e = { ...(exampleEpisodes()[0] as [string, Record<string, unknown>])[1], id: 'ep-idem-1', version: 1 };
    const headers = { 'idempotency-key': 'idem-key-1' };
    const first = await h.call('/v1/episodes', { method: 'POST', json: e, headers });
    expect(first.status).toBe(202);
    const firstBody = await first.text();
    const again = await h.call('/v1/episodes', { method: 'POST', json: e, headers });
    expect(again.status).toBe(202);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await h.call('/v1/episodes', { method: 'POST', json: { ...e, version: 2 }, headers });
    expect(other.status).toBe(409);
    // The key is per clinic: clinic B may use the same key.
    const asB = await h.call('/v1/episodes', { method: 'POST', as: 'b', json: e, headers });
    expect(asB.status).toBe(202);
  });
});
