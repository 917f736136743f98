/**
 * Redis for integration tests: one Redis (`REDIS_HOST` / `REDIS_PORT`, default 127.0.0.1:6379), or the
 * Redis Cluster of `npm run test:cluster` when `KAP_TEST_REDIS_CLUSTER` names its nodes (`h1:p1,h2:p2,…`,
 * set by test/cluster/global-setup.ts). A random key prefix per test file (`kap-test-<random>`; on the
 * cluster with a hash tag, `{kap-test-<random>}`, as the service's), and removal of every key under it
 * afterwards (never FLUSHALL/FLUSHDB: the Redis is shared). Tests get Redis only through these helpers,
 * so the same file runs on either.
 */
import { randomBytes } from 'node:crypto';
import { clusterPrefix, createRedisClient, scanKeys, type RedisClient, type RedisEndpoint } from '../../../src/redis-client.js';

/** Host and port of the single test Redis (`REDIS_HOST` / `REDIS_PORT`, default 127.0.0.1:6379). */
export const TEST_REDIS = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** The cluster's nodes (`KAP_TEST_REDIS_CLUSTER`), undefined on one Redis. */
export function testClusterNodes(): string | undefined {
  return process.env.KAP_TEST_REDIS_CLUSTER || undefined;
}

/** True when the tests run on the Redis Cluster. */
export function onTestCluster(): boolean {
  return testClusterNodes() !== undefined;
}

/** A fresh key prefix (hash-tagged on the cluster). */
export function testPrefix(): string {
  const prefix = `kap-test-${randomBytes(6).toString('hex')}`;
  return onTestCluster() ? clusterPrefix(prefix) : prefix;
}

/** The test Redis as an endpoint (what `createSyncEngine({ redis })` and `createRedisClient` take). */
export function testRedisEndpoint(): RedisEndpoint {
  const nodes = testClusterNodes();
  return nodes
    ? { kind: 'cluster', nodes: nodes.split(',').map((n) => ({ host: n.slice(0, n.lastIndexOf(':')), port: Number(n.slice(n.lastIndexOf(':') + 1)) })) }
    : { kind: 'single', url: testRedisUrl() };
}

/** `redis://host:port` of the single test Redis. */
export function testRedisUrl(): string {
  return `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`;
}

/** A new client of the test Redis (the caller disconnects it). */
export function testRedisClient(): RedisClient {
  return createRedisClient(testRedisEndpoint());
}

/** The environment a child `kap-fhir` needs for the test Redis: `REDIS_URL`, or `REDIS_CLUSTER_NODES`. */
export function testServiceRedisEnv(): Record<string, string> {
  const nodes = testClusterNodes();
  return nodes ? { REDIS_CLUSTER_NODES: nodes } : { REDIS_URL: testRedisUrl() };
}

/**
 * Deletes every key starting with `prefix` (on the cluster: on every master).
 * @param prefix - the prefix
 * @returns the number of keys deleted
 */
export async function cleanupPrefix(prefix: string): Promise<number> {
  const redis = testRedisClient();
  let deleted = 0;
  try {
    for await (const keys of scanKeys(redis, `${prefix}*`, 1000)) {
      // On the cluster one key at a time: a prefix without a hash tag spreads its keys over slots.
      deleted += onTestCluster() ? (await Promise.all(keys.map((k) => redis.del(k)))).reduce((a, b) => a + b, 0) : await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Counts the keys under a prefix. */
export async function countKeys(prefix: string): Promise<number> {
  const redis = testRedisClient();
  try {
    let n = 0;
    for await (const keys of scanKeys(redis, `${prefix}*`, 1000)) {
      n += keys.length;
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

/**
 * Every key under a prefix (SCAN; a key listed once).
 * @param redis - a client of the test Redis
 * @param pattern - a SCAN MATCH glob
 */
export async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  const out = new Set<string>();
  for await (const keys of scanKeys(redis, pattern, 1000)) {
    keys.forEach((k) => out.add(k));
  }
  return [...out];
}
