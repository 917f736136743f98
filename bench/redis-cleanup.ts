/**
 * Removes a benchmark's Redis keys (SCAN, never KEYS): every bench runs under its own prefix and leaves
 * nothing behind.
 */
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Deletes every key that starts with a prefix.
 * @param redis - connection settings (or a URL)
 * @param prefixes - the key prefixes
 */
export async function deleteKeysWithPrefix(redis: RedisOptions | string, ...prefixes: string[]): Promise<void> {
  const r = typeof redis === 'string' ? new Redis(redis) : new Redis(redis);
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) {
          await r.del(...keys);
        }
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
}
