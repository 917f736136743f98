/**
 * Removes a benchmark's Redis keys (SCAN, never KEYS): every bench runs under its own prefix and leaves
 * nothing behind.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { scanKeys } from '../src/redis-client.js';

/**
 * Deletes every key that starts with a prefix.
 * @param redis - connection settings (or a URL)
 * @param prefixes - the key prefixes
 */
export async function deleteKeysWithPrefix(redis: RedisOptions | string, ...prefixes: string[]): Promise<void> {
  const r = typeof redis === 'string' ? new Redis(redis) : new Redis(redis);
  try {
    for (const prefix of prefixes) {
      for await (const keys of scanKeys(r, `${prefix}*`, 1000)) {
        await r.del(...keys);
      }
    }
  } finally {
    r.disconnect();
  }
}
