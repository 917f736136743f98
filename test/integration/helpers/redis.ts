/**
 * Redis for integration tests: a random key prefix per test file (`kap-test-<random>`) and removal of
 * every key under it afterwards (never FLUSHALL/FLUSHDB: the Redis is shared).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Host and port of the test Redis (`REDIS_HOST` / `REDIS_PORT`, default 127.0.0.1:6379). */
export const TEST_REDIS = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** A fresh key prefix. */
export function testPrefix(): string {
  return `kap-test-${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes every key starting with `prefix`.
 * @param prefix - the prefix
 * @returns the number of keys deleted
 */
export async function cleanupPrefix(prefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) {
        deleted += await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Counts the keys under a prefix. */
export async function countKeys(prefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS);
  try {
    let cursor = '0';
    let n = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    return n;
  } finally {
    redis.disconnect();
  }
}
