/**
 * Every key under a prefix with its value as text, whatever the Redis type (string, hash, list, set,
 * sorted set, stream): what a Redis dump, an AOF file or a replica of the service's data would show.
 */
import type { Redis } from 'ioredis';

/** One key: its type and every part of its value (fields and values, members, scores, stream entries) as UTF-8 text. */
export interface KeyDump {
  key: string;
  type: string;
  parts: string[];
}

const text = (values: (Buffer | string)[]): string[] => values.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));

/**
 * Reads one key with the command its type needs.
 * @param redis - the connection
 * @param key - the key
 * @returns the dump (parts empty for a key that vanished meanwhile)
 */
export async function dumpKey(redis: Redis, key: string): Promise<KeyDump> {
  const type = await redis.type(key);
  switch (type) {
    case 'string': {
      const v = await redis.getBuffer(key);
      return { key, type, parts: v ? text([v]) : [] };
    }
    case 'hash':
      return { key, type, parts: text(Object.entries(await redis.hgetallBuffer(key)).flat()) };
    case 'list':
      return { key, type, parts: text(await redis.lrangeBuffer(key, 0, -1)) };
    case 'set':
      return { key, type, parts: text(await redis.smembersBuffer(key)) };
    case 'zset':
      return { key, type, parts: text(await redis.zrangeBuffer(key, '0', '-1', 'WITHSCORES')) };
    case 'stream': {
      const rows = (await redis.xrangeBuffer(key, '-', '+')) as [Buffer, Buffer[]][];
      return { key, type, parts: rows.flatMap(([id, fields]) => text([id, ...fields])) };
    }
    case 'none':
      return { key, type, parts: [] };
    default:
      throw new Error(`unexpected Redis type ${type} of ${key}`);
  }
}

/**
 * Every key under a prefix (SCAN, never KEYS) with its value.
 * @param redis - the connection
 * @param prefix - the key prefix
 */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<KeyDump[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    batch.forEach((k) => keys.add(k));
  } while (cursor !== '0');
  const out: KeyDump[] = [];
  for (const key of [...keys].sort()) {
    out.push(await dumpKey(redis, key));
  }
  return out;
}
