/**
 * Issue 10, patient data encrypted at rest: the real service (startApiHarness: real Redis, the
 * sandbox EHR over HTTP) takes every example episode for clinic-a, one delivery dead-letters (the
 * sandbox refuses it with a 400 whose OperationOutcome echoes patient data), one request carries an
 * Idempotency-Key and is replayed; once the jobs have settled every key under the service's prefix
 * is read whatever its type, and no patient name, birth date, identifier value (MRN, NPI, phone,
 * e-mail) or free text of the submitted examples may be found in clear — neither in a value nor in
 * a key name.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { Redis } from 'ioredis';
import { exampleEpisodes, settleJob, startApiHarness, type ApiHarness } from '../integration/api-harness.js';
import { TEST_REDIS } from '../integration/helpers/redis.js';
import { occursAsToken, phiOf } from '../helpers/phi.js';
import { dumpPrefix, type KeyDump } from './redis-values.js';

/** Shorter strings (a middle initial such as `Q.`) match by chance and are not searched for. */
const MIN_LENGTH = 3;
/** A sealed value (`v2.<kid>.<iv>.<tag>.<body>`, the legacy `v1.<iv>.<tag>.<body>`): random text, not searched. */
const SEALED = /\bv[12](\.[A-Za-z0-9+/=_-]+){3,4}/g;

type Json = Record<string, unknown>;

/** Where a string occurs in clear: key names and values, sealed values left out. */
function leaks(dumps: KeyDump[], needles: string[]): string[] {
  const found: string[] = [];
  for (const d of dumps) {
    const haystack = [d.key, ...d.parts].map((p) => p.replace(SEALED, '<sealed>')).join('\n');
    for (const n of needles) {
      if (occursAsToken(haystack, n)) {
        found.push(`${JSON.stringify(n)} in ${d.type} ${d.key}`);
      }
    }
  }
  return found;
}

let h: ApiHarness;
let dumps: KeyDump[];
let needles: string[];
let deadLetters: string[];

beforeAll(async () => {
  h = await startApiHarness();
  const examples = exampleEpisodes();
  expect(examples.length).toBeGreaterThanOrEqual(4);
  needles = [...new Set(examples.flatMap(([, e]) => phiOf(e)))].filter((s) => s.length >= MIN_LENGTH);
  const jobIds: string[] = [];
  const post = async (episode: Json, headers: Record<string, string> = {}): Promise<Response> => {
    const res = await h.call('/v1/episodes', { method: 'POST', json: episode, headers });
    expect(res.status).toBe(202);
    return res;
  };
  const jobsOf = async (res: Response): Promise<string[]> => ((await res.json()) as { jobIds: string[] }).jobIds;

  // 1. A delivery the EHR refuses (400) → dead letter, its payload pinned. The outcome echoes PHI, as EHRs do.
  const [, first] = examples[0] as [string, Json];
  const patient = first.patient as { name: { family: string }; birthDate: string };
  const rejection: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: `Patient ${patient.name.family} born ${patient.birthDate} is unknown`,
        details: { text: `No such patient: ${patient.name.family}` },
        expression: ['Patient.name'],
      },
    ],
  };
  h.sandbox.controls.fail({ path: '^/Patient', status: 400, times: 1, outcome: rejection });
  const firstJobs = await jobsOf(await post(first));
  const settledFirst = await Promise.all(firstJobs.map((id) => settleJob(h, id)));
  h.sandbox.controls.clearFaults();
  deadLetters = settledFirst.filter((s) => s.state === 'failed').map((s) => String(s.id));

  // 2. The other examples; the second with an Idempotency-Key, sent twice (the second answer is replayed).
  for (const [i, [, episode]] of examples.slice(1).entries()) {
    const headers: Record<string, string> = i === 0 ? { 'idempotency-key': 'at-rest-idem-1' } : {};
    const res = await post(episode, headers);
    jobIds.push(...(await jobsOf(res)));
    if (i === 0) {
      const again = await post(episode, headers);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    }
  }
  // 3. Every job settles (delivered, or dead-lettered).
  await Promise.all(jobIds.map((id) => settleJob(h, id)));

  const redis = new Redis(TEST_REDIS);
  try {
    dumps = await dumpPrefix(redis, h.prefix);
  } finally {
    redis.disconnect();
  }
}, 180000);

afterAll(async () => {
  await h?.close();
});

describe('patient data at rest in Redis', () => {
  test('the scenario ran: PHI to look for, a dead letter, keys of every family', () => {
    expect(needles).toEqual(expect.arrayContaining(['Testperson', 'MRN-55501', '1555010010', '+1-555-0100', '1984-07-19']));
    expect(deadLetters.length).toBeGreaterThan(0);
    const families = ['api:episode:', 'api:idem:', 'sync:payload:', 'sync:dead:', 'sync:log:'];
    for (const f of families) {
      expect({ f, present: dumps.some((d) => d.key.startsWith(`${h.prefix}:${f}`)) }).toEqual({ f, present: true });
    }
    // Every type the service writes was read (BullMQ's wait lists are empty, hence gone, once the jobs settled).
    expect([...new Set(dumps.map((d) => d.type))].sort()).toEqual(expect.arrayContaining(['hash', 'set', 'stream', 'string', 'zset']));
  });

  test('the scanner finds a name as a token, not inside a random hash', () => {
    expect(occursAsToken('{"given":["Drew"]}', 'Drew')).toBe(true);
    expect(occursAsToken('kap:patient:Drew', 'Drew')).toBe(true);
    expect(occursAsToken('sync:written:DMy9hXsK6fPhNmKQQY1hhg:jIDrewxAfpzbmaFc_GzqRA', 'Drew')).toBe(false);
    expect(occursAsToken('Andrew, then Drew', 'Drew')).toBe(true);
    expect(occursAsToken('tel +1-555-0100;', '+1-555-0100')).toBe(true);
  });

  test('no name, birth date, identifier value or free text of the examples is in clear, in any key or value', () => {
    expect(leaks(dumps, needles)).toEqual([]);
  });

  test('every record that holds patient data is sealed (v2, with the current key id)', () => {
    const sealed = (v: string | undefined): boolean => typeof v === 'string' && /^v2\.[A-Za-z0-9_-]+\./.test(v);
    const of = (family: string): KeyDump[] => dumps.filter((d) => d.key.startsWith(`${h.prefix}:${family}`));
    for (const d of [...of('sync:payload:'), ...of('sync:dead:'), ...of('api:idem:')]) {
      expect({ key: d.key, sealed: sealed(d.parts[0]) }).toEqual({ key: d.key, sealed: true });
    }
    for (const d of of('api:episode:')) {
      const data = d.parts[d.parts.indexOf('data') + 1];
      expect({ key: d.key, sealed: sealed(data) }).toEqual({ key: d.key, sealed: true });
    }
  });
});
