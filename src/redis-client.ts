/**
 * The service's Redis, one Redis or a Redis Cluster: where it is (`RedisEndpoint`, from `REDIS_URL` and
 * `REDIS_CLUSTER_NODES`), a client for it, the key prefix a cluster needs (one hash tag per deployment:
 * every key of the service in one slot, so each multi-key script and MULTI stays atomic, docs/redis-cluster.md)
 * and SCAN over every master. Errors name the setting, never its value (a URL may hold a password).
 */
import { Cluster, Redis } from 'ioredis';

/** A client of either kind: every command the service sends exists on both. */
export type RedisClient = Redis | Cluster;

/** One cluster node as given (`host:port`). */
export interface RedisNode {
  host: string;
  port: number;
}

/** Where the service's Redis is: one server (a `redis://` / `rediss://` URL) or the seed nodes of a cluster. */
export type RedisEndpoint =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[]; username?: string; password?: string; tls?: boolean };

/** Raised for a Redis URL or node list that cannot be read; the message names the setting only. */
export class RedisEndpointError extends Error {
  override name = 'RedisEndpointError';
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//i;

/**
 * One `host:port` (`[v6]:port` for IPv6; the port defaults to 6379).
 * @param text - the node
 * @param setting - named by the error
 */
function parseNode(text: string, setting: string): RedisNode {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const port = m?.[3] === undefined ? 6379 : Number(m[3]);
  if (!m || port < 1 || port > 65535) {
    throw new RedisEndpointError(`${setting}: expected host:port[,host:port…]`);
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

/**
 * A comma-separated node list.
 * @param text - `h1:p1,h2:p2`
 * @param setting - named by the error
 */
function parseNodes(text: string, setting: string): RedisNode[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) {
    throw new RedisEndpointError(`${setting}: expected host:port[,host:port…]`);
  }
  return parts.map((p) => parseNode(p, setting));
}

/**
 * The Redis the configuration names. `REDIS_CLUSTER_NODES` (`h1:p1,h2:p2`) selects a cluster; so does a
 * `redis+cluster://[user:password@]h1:p1,h2:p2` URL (`rediss+cluster://`: TLS). With `REDIS_CLUSTER_NODES`, the
 * user, password and TLS (`rediss://`) of REDIS_URL apply to the cluster's nodes (its host is not used).
 * @param url - REDIS_URL
 * @param clusterNodes - REDIS_CLUSTER_NODES (empty or absent: none)
 * @returns the endpoint
 * @throws RedisEndpointError naming the setting
 */
export function parseRedisEndpoint(url: string, clusterNodes?: string): RedisEndpoint {
  const scheme = CLUSTER_SCHEME.exec(url);
  if (scheme) {
    const rest = url.slice(scheme[0].length).replace(/\/$/, '');
    const at = rest.lastIndexOf('@');
    const auth = at >= 0 ? rest.slice(0, at) : '';
    const colon = auth.indexOf(':');
    const username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
    const password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : '';
    return {
      kind: 'cluster',
      nodes: parseNodes(clusterNodes?.trim() ? clusterNodes : rest.slice(at + 1), clusterNodes?.trim() ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL'),
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(scheme[1]?.toLowerCase() === 'rediss' ? { tls: true } : {}),
    };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisEndpointError('REDIS_URL: must be a redis://, rediss:// or redis+cluster:// URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new RedisEndpointError('REDIS_URL: must be a redis://, rediss:// or redis+cluster:// URL');
  }
  if (!clusterNodes?.trim()) {
    return { kind: 'single', url };
  }
  return {
    kind: 'cluster',
    nodes: parseNodes(clusterNodes, 'REDIS_CLUSTER_NODES'),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: true } : {}),
  };
}

/** What a Redis URL holds, as options (ioredis and BullMQ take them). */
export interface RedisUrlOptions {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
  /** Present for `rediss://` (TLS with the system's CAs). */
  tls?: Record<string, never>;
}

/**
 * Connection options from a `redis://[user:password@]host:port[/db]` URL (`rediss://`: TLS), as ioredis and
 * BullMQ take them.
 * @param url - the URL
 */
export function redisOptionsFromUrl(url: string): RedisUrlOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** ioredis' retries of a command over reconnections (`null`: forever, what BullMQ's workers need). */
  maxRetriesPerRequest?: number | null;
  /** Connect on `connect()` (or the first command) rather than at once. */
  lazyConnect?: boolean;
}

/**
 * A client for the endpoint: an ioredis `Redis`, or a `Cluster` seeded with the nodes (it learns the others
 * and follows slot moves and failovers).
 * @param endpoint - where
 * @param options - retries, lazy connection
 */
export function createRedisClient(endpoint: RedisEndpoint, options: RedisClientOptions = {}): RedisClient {
  const common = {
    ...(options.maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest: options.maxRetriesPerRequest } : {}),
  };
  if (endpoint.kind === 'single') {
    return new Redis({ ...redisOptionsFromUrl(endpoint.url), ...common, lazyConnect: options.lazyConnect ?? false });
  }
  return new Cluster(endpoint.nodes, {
    lazyConnect: options.lazyConnect ?? false,
    enableReadyCheck: true,
    redisOptions: {
      ...common,
      ...(endpoint.username ? { username: endpoint.username } : {}),
      ...(endpoint.password ? { password: endpoint.password } : {}),
      ...(endpoint.tls ? { tls: {} } : {}),
    },
  });
}

/** True for a cluster client. */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * The hash tag of a key as Redis Cluster reads it: what lies between the first `{` and the first `}` after
 * it, when not empty (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 * @param key - a key or a key prefix
 * @returns the tag, undefined when the whole key is hashed
 */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/**
 * The prefix for a cluster: `{prefix}` unless the prefix already holds a hash tag. Every key that starts with
 * it then hashes to the one slot of the tag.
 * @param prefix - the configured prefix (`kap`)
 * @returns the tagged prefix (`{kap}`)
 * @throws RedisEndpointError when no tag can be made of it (a prefix starting with `}`)
 */
export function clusterPrefix(prefix: string): string {
  if (hashTag(prefix) !== undefined) {
    return prefix;
  }
  const tagged = `{${prefix}}`;
  if (hashTag(tagged) === undefined) {
    throw new RedisEndpointError('REDIS_PREFIX: cannot carry a hash tag (give one: `{kap}`)');
  }
  return tagged;
}

/**
 * Batches of the keys matching a pattern (SCAN, never KEYS): on a cluster, over every master. A key may come
 * twice (SCAN's guarantee is at least once for keys there throughout).
 * @param client - one Redis or a cluster
 * @param pattern - a SCAN MATCH glob
 * @param count - SCAN COUNT (a hint of the batch size)
 */
export async function* scanKeys(client: RedisClient, pattern: string, count = 500): AsyncIterable<string[]> {
  let nodes: Redis[];
  if (isCluster(client)) {
    // The masters as the cluster says now (a failover or a restarted node changes them; the client's own
    // map is refreshed only every few seconds or on a redirection). A lazy client connects here.
    await client.ping();
    await new Promise<void>((resolve, reject) => client.refreshSlotsCache((err) => (err ? reject(err) : resolve())));
    nodes = client.nodes('master');
  } else {
    nodes = [client];
  }
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) {
        yield keys;
      }
    } while (cursor !== '0');
  }
}

/**
 * The endpoint for logs and the start-up banner: host and port, never a password.
 * @param endpoint - the endpoint
 */
export function describeRedisEndpoint(endpoint: RedisEndpoint): string {
  if (endpoint.kind === 'cluster') {
    const hosts = endpoint.nodes.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',');
    return `${endpoint.tls ? 'rediss' : 'redis'}+cluster://${hosts}`;
  }
  const u = new URL(endpoint.url);
  u.password = '';
  u.username = '';
  return u.toString().replace(/\/$/, '');
}
