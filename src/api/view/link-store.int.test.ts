/**
 * The view-link store on real Redis (its own key prefix, removed after), with a clock of the test's own: life and
 * expiry to the millisecond, revocation, scoping to one clinic, the audit log (outcomes, cap, TTL), tokens signed
 * under the service secret (another secret opens nothing), and the patient id sealed at rest.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createAtRestCodec } from '../../crypto/at-rest-codec.js';
import { cleanupPrefix, TEST_REDIS, testPrefix } from '../../../test/integration/helpers/redis.js';
import { AUDIT_MAX_ENTRIES, RETENTION_DAYS, ViewLinkStore } from './link-store.js';

const DAY = 24 * 3600 * 1000;
const prefix = testPrefix();
const codec = createAtRestCodec({ current: randomBytes(32) });
let redis: Redis;
let now = Date.parse('2026-12-01T10:00:00Z');
let store: ViewLinkStore;
const SCOPE = { clinicId: 'clinic-a', patientId: 'pt-secret-42' };

beforeAll(() => {
  redis = new Redis(TEST_REDIS);
  store = new ViewLinkStore({ redis, prefix, codec, secret: 's'.repeat(32), now: () => now });
});

afterAll(async () => {
  redis?.disconnect();
  await cleanupPrefix(prefix);
});

describe('ViewLinkStore', () => {
  test('a link opens its scope until the last millisecond of its life, then is expired', async () => {
    now = Date.parse('2026-12-01T10:00:00Z');
    const link = await store.create(SCOPE, 7, 'clinic', 'req-1');
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toBe('2026-12-08T10:00:00.000Z');
    now += 7 * DAY - 1;
    expect(await store.resolve(link.token, { resource: 'view' })).toEqual({ outcome: 'allowed', linkId: link.linkId, scope: SCOPE, expiresAt: link.expiresAt });
    now += 1;
    expect(await store.resolve(link.token, { resource: 'view' })).toEqual({ outcome: 'expired', linkId: link.linkId });
    const audit = await store.audit('clinic-a', link.linkId);
    expect(audit?.map((e) => `${e.event}:${e.outcome ?? ''}`)).toEqual(['created:', 'access:allowed', 'access:expired']);
    expect(audit?.[0]?.requestId).toBe('req-1');
  });

  test('life: 1 to 30 days', async () => {
    await expect(store.create(SCOPE, 0, 'clinic')).rejects.toThrow(RangeError);
    await expect(store.create(SCOPE, 31, 'clinic')).rejects.toThrow(RangeError);
    await expect(store.create(SCOPE, 1.5, 'clinic')).rejects.toThrow(RangeError);
  });

  test('revoked: refused from then on; only its clinic revokes it; revoking again changes nothing', async () => {
    const link = await store.create(SCOPE, 3, 'prescriber-delivery');
    expect(await store.revoke('clinic-b', link.linkId)).toBeUndefined();
    expect((await store.resolve(link.token, { resource: 'pdf', document: 'ep-1/s-1' })).outcome).toBe('allowed');
    const revoked = await store.revoke('clinic-a', link.linkId);
    expect(revoked?.revokedAt).toBeDefined();
    expect((await store.revoke('clinic-a', link.linkId))?.revokedAt).toBe(revoked?.revokedAt);
    expect(await store.resolve(link.token, { resource: 'view' })).toEqual({ outcome: 'revoked', linkId: link.linkId });
    const audit = (await store.audit('clinic-a', link.linkId)) ?? [];
    expect(audit.map((e) => `${e.event}:${e.by}:${e.outcome ?? ''}:${e.document ?? ''}`)).toEqual([
      'created:prescriber-delivery::',
      'access:link:allowed:ep-1/s-1',
      'revoked:clinic::',
      'access:link:revoked:',
    ]);
    expect(await store.audit('clinic-b', link.linkId)).toBeUndefined();
    expect(await store.get('clinic-b', link.linkId)).toBeUndefined();
  });

  test('unknown, malformed, or signed under another secret → unknown, nothing audited', async () => {
    const link = await store.create(SCOPE, 1, 'clinic');
    const other = new ViewLinkStore({ redis, prefix, codec, secret: 't'.repeat(32), now: () => now });
    expect(await other.resolve(link.token, { resource: 'view' })).toEqual({ outcome: 'unknown' });
    expect(await store.resolve(`${link.token}x`, { resource: 'view' })).toEqual({ outcome: 'unknown' });
    expect(await store.resolve(randomBytes(32).toString('base64url'), { resource: 'view' })).toEqual({ outcome: 'unknown' });
    expect(await store.get('clinic-a', '../../etc')).toBeUndefined();
    expect((await store.audit('clinic-a', link.linkId))?.length).toBe(1);
  });

  test('Redis holds no token and no clear patient id; every key expires with the retention', async () => {
    now = Date.now();
    const link = await store.create(SCOPE, 2, 'clinic');
    await store.resolve(link.token, { resource: 'view' });
    const keys = await redis.keys(`${prefix}:api:view-*`);
    const own = [`${prefix}:api:view-link:${link.linkId}`, `${prefix}:api:view-audit:${link.linkId}`];
    for (const k of own) {
      expect(keys).toContain(k);
    }
    for (const key of keys) {
      expect(key).not.toContain(link.token);
      const dump = JSON.stringify((await redis.type(key)) === 'hash' ? await redis.hgetall(key) : (await redis.type(key)) === 'list' ? await redis.lrange(key, 0, -1) : await redis.get(key));
      expect(dump).not.toContain(link.token);
      expect(dump).not.toContain(SCOPE.patientId);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    }
    for (const k of own) {
      const ttl = await redis.pttl(k);
      expect(Math.abs(ttl - (2 + RETENTION_DAYS) * DAY)).toBeLessThan(60_000);
    }
  });

  test(`the audit log keeps the latest ${AUDIT_MAX_ENTRIES} entries`, async () => {
    now = Date.now();
    const link = await store.create(SCOPE, 1, 'clinic');
    await Promise.all(Array.from({ length: AUDIT_MAX_ENTRIES + 5 }, () => store.resolve(link.token, { resource: 'view' })));
    const audit = (await store.audit('clinic-a', link.linkId)) ?? [];
    expect(audit).toHaveLength(AUDIT_MAX_ENTRIES);
    expect(audit.every((e) => e.event === 'access')).toBe(true);
  });
});
