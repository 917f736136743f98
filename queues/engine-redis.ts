/**
 * The sync engine's Redis: the client of its delivery store and the connection its BullMQ queues and workers
 * are given, on one Redis or a Redis Cluster. On a cluster BullMQ gets one `Cluster` instance (workers
 * duplicate it for their blocking connection), and the key prefix must carry a hash tag: BullMQ's scripts and
 * the delivery store's reach several keys at once, which a cluster allows only within one slot.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { createRedisClient, hashTag, redisOptionsFromUrl, type RedisClient, type RedisEndpoint } from '../src/redis-client.js';

/** Settings of one Redis (host, port …), the older form of {@link RedisEndpoint} `single`. */
export interface RedisSettings {
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
}

/** Raised for a cluster endpoint with a prefix that has no hash tag. */
export class UntaggedClusterPrefixError extends Error {
  override name = 'UntaggedClusterPrefixError';
}

/** The engine's connections. */
export interface EngineRedis {
  /** The delivery store's client (commands retried 3 times over reconnections). */
  store: RedisClient;
  /** What every Queue and Worker is given. */
  connection: ConnectionOptions;
  /** Closes what the engine opened itself (after its queues and workers are closed). */
  close(): Promise<void>;
}

/** True when the value is a {@link RedisEndpoint} rather than {@link RedisSettings}. */
function isEndpoint(redis: RedisSettings | RedisEndpoint): redis is RedisEndpoint {
  return 'kind' in redis;
}

/**
 * Opens the engine's connections.
 * @param redis - an endpoint, or settings of one Redis (default 127.0.0.1:6379)
 * @param prefix - the engine's key prefix
 * @throws UntaggedClusterPrefixError on a cluster when the prefix has no hash tag (`{kap}`)
 */
export function engineRedis(redis: RedisSettings | RedisEndpoint | undefined, prefix: string): EngineRedis {
  if (redis && isEndpoint(redis) && redis.kind === 'cluster') {
    if (hashTag(prefix) === undefined) {
      throw new UntaggedClusterPrefixError(
        'sync engine: on a Redis Cluster the key prefix must carry a hash tag (`{kap}`, clusterPrefix()): ' +
          'every key of a queue and of the delivery store must hash to one slot'
      );
    }
    const store = createRedisClient(redis, { maxRetriesPerRequest: 3 });
    // BullMQ does not close a connection it was handed: closed here.
    const shared = createRedisClient(redis, { maxRetriesPerRequest: null });
    return {
      store,
      connection: shared,
      async close() {
        await Promise.all([store.quit().catch(() => undefined), shared.quit().catch(() => undefined)]);
      },
    };
  }
  const settings = redis && isEndpoint(redis) ? redisOptionsFromUrl(redis.url) : { host: '127.0.0.1', port: 6379, ...redis };
  const store = new Redis({ ...settings, maxRetriesPerRequest: 3 });
  return {
    store,
    // Options, not an instance: each Queue and Worker opens (and closes) its own connections.
    connection: { ...settings, maxRetriesPerRequest: null },
    async close() {
      await store.quit().catch(() => undefined);
    },
  };
}
