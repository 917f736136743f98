/**
 * `Idempotency-Key` through the real service (startApiHarness: real Redis, the sandbox EHR): the
 * body is compared as canonical JSON (the same JSON with its keys in another order is the same
 * request, not a 409); a refusal (4xx) is not kept, so the corrected request can reuse the key; the
 * record kept in Redis is sealed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { exampleEpisodes, startApiHarness, type ApiHarness } from './api-harness.js';
import { TEST_REDIS } from './helpers/redis.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness();
});

afterAll(async () => {
  await h?.close();
});

type Json = Record<string, unknown>;

const episode = (id: string): Json => ({
  ...structuredClone((exampleEpisodes().find(([n]) => n.startsWith('iv-ketamine')) ?? exampleEpisodes()[0])?.[1] ?? {}),
  id,
  version: 1,
});

/** The same JSON value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(reversedKeys);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reversedKeys((value as Json)[k])]));
  }
  return value;
}

/** POSTs raw JSON text (the key order as written). */
const post = (text: string, key: string): Promise<Response> =>
  h.call('/v1/episodes', { method: 'POST', body: text, headers: { 'content-type': 'application/json', 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  test('the same JSON with its keys in another order (at any depth) is the same body: replayed, not 409', async () => {
    const e = episode('ep-idem-order');
    const text = JSON.stringify(e);
    const reordered = JSON.stringify(reversedKeys(e));
    expect(reordered).not.toBe(text);
    const first = await post(text, 'idem-order-1');
    expect(first.status).toBe(202);
    const again = await post(reordered, 'idem-order-1');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    // Another value is still another body.
    const other = await post(JSON.stringify({ ...e, version: 2 }), 'idem-order-1');
    expect(other.status).toBe(409);
  });

  test('a 4xx answer is not kept: the corrected request with the same key is processed (202), then replayed', async () => {
    const e = episode('ep-idem-fix');
    const broken = { ...e, patient: { ...(e.patient as Json), birthDate: 'not-a-date' } };
    const refused = await post(JSON.stringify(broken), 'idem-fix-1');
    expect(refused.status).toBe(422);
    expect(refused.headers.get('idempotent-replayed')).toBeNull();
    // The same broken body again is processed again (422 again, not a replay of a kept answer).
    const refusedAgain = await post(JSON.stringify(broken), 'idem-fix-1');
    expect(refusedAgain.status).toBe(422);
    expect(refusedAgain.headers.get('idempotent-replayed')).toBeNull();
    const fixed = await post(JSON.stringify(e), 'idem-fix-1');
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const replay = await post(JSON.stringify(e), 'idem-fix-1');
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(await fixed.text());
  });

  test('the kept record is sealed at rest (v2 with a key id), the answer not in clear', async () => {
    const e = episode('ep-idem-sealed');
    const res = await post(JSON.stringify(e), 'idem-sealed-1');
    expect(res.status).toBe(202);
    const redis = new Redis(TEST_REDIS);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${h.prefix}:api:idem:clinic-a:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const value = (await redis.get(key)) as string;
        expect(value).toMatch(/^v2\.[A-Za-z0-9_-]{11}\./);
        expect(value).not.toContain('ep-idem');
      }
    } finally {
      redis.disconnect();
    }
  });
});
