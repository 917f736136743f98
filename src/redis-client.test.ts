import { describe, expect, test } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { clusterPrefix, createRedisClient, describeRedisEndpoint, hashTag, isCluster, parseRedisEndpoint, redisOptionsFromUrl } from './redis-client.js';

describe('parseRedisEndpoint', () => {
  test.each([
    ['redis://127.0.0.1:6379', undefined, { kind: 'single', url: 'redis://127.0.0.1:6379' }],
    ['rediss://u:p@cache.example:6380/2', '', { kind: 'single', url: 'rediss://u:p@cache.example:6380/2' }],
    ['redis+cluster://10.0.0.1:7000,10.0.0.2:7001', undefined, { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }] }],
    [
      'rediss+cluster://kap:s%40cret@a.example:7000,b.example/',
      undefined,
      { kind: 'cluster', nodes: [{ host: 'a.example', port: 7000 }, { host: 'b.example', port: 6379 }], username: 'kap', password: 's@cret', tls: true },
    ],
    ['redis://127.0.0.1:6379', '127.0.0.1:7000, 127.0.0.1:7001', { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }] }],
    ['rediss://:pw@ignored:1', '[::1]:7000', { kind: 'cluster', nodes: [{ host: '::1', port: 7000 }], password: 'pw', tls: true }],
  ] as [string, string | undefined, object][])('%s + %s', (url, nodes, expected) => {
    expect(parseRedisEndpoint(url, nodes)).toEqual(expected);
  });

  test.each([
    ['http://secret-host:1', undefined, 'REDIS_URL'],
    ['not a url', undefined, 'REDIS_URL'],
    ['redis+cluster://', undefined, 'REDIS_URL'],
    ['redis+cluster://secret-host:99999', undefined, 'REDIS_URL'],
    ['redis://127.0.0.1:6379', 'secret-host:x', 'REDIS_CLUSTER_NODES'],
    ['redis://127.0.0.1:6379', ',', 'REDIS_CLUSTER_NODES'],
  ])('%s + %s is refused, naming %s and not the value', (url, nodes, setting) => {
    expect(() => parseRedisEndpoint(url, nodes)).toThrow(setting);
    try {
      parseRedisEndpoint(url, nodes);
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-host');
    }
  });
});

describe('hash tags', () => {
  test.each([
    ['kap', undefined],
    ['{kap}', 'kap'],
    ['{kap}:sync:lock:x', 'kap'],
    ['a{b}c{d}', 'b'],
    ['{}kap', undefined],
    ['{}{kap}', undefined],
    ['kap}{', undefined],
  ])('hashTag(%s) = %s', (key, tag) => {
    expect(hashTag(key)).toBe(tag);
  });

  test.each([
    ['kap', '{kap}'],
    ['{kap}', '{kap}'],
    ['clinic-{eu}', 'clinic-{eu}'],
    ['kap-test-1a2b', '{kap-test-1a2b}'],
    ['{}x', '{{}x}'],
  ])('clusterPrefix(%s) = %s, and every key under it has one tag', (prefix, tagged) => {
    expect(clusterPrefix(prefix)).toBe(tagged);
    expect(clusterPrefix(tagged)).toBe(tagged);
    expect(hashTag(`${tagged}:sync:latest:a`)).toBe(hashTag(`${tagged}:ehr-sync-ehr-main:wait`));
    expect(hashTag(`${tagged}:x`)).toBeDefined();
  });

  test('a prefix that cannot carry a tag is refused', () => {
    expect(() => clusterPrefix('}x')).toThrow('REDIS_PREFIX');
  });
});

describe('clients', () => {
  test('a URL becomes ioredis options (TLS for rediss://, db, credentials)', () => {
    expect(redisOptionsFromUrl('rediss://u:p%3A@h:6380/3')).toEqual({ host: 'h', port: 6380, db: 3, username: 'u', password: 'p:', tls: {} });
    expect(redisOptionsFromUrl('redis://h')).toEqual({ host: 'h', port: 6379 });
  });

  test('createRedisClient makes a Redis or a Cluster (lazy: nothing connects)', () => {
    const single = createRedisClient({ kind: 'single', url: 'redis://127.0.0.1:1' }, { lazyConnect: true, maxRetriesPerRequest: null });
    const cluster = createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }], password: 'pw' }, { lazyConnect: true, maxRetriesPerRequest: null });
    expect(single).toBeInstanceOf(Redis);
    expect(cluster).toBeInstanceOf(Cluster);
    expect(isCluster(single)).toBe(false);
    expect(isCluster(cluster)).toBe(true);
    expect((single as Redis).options.maxRetriesPerRequest).toBeNull();
    expect((cluster as Cluster).options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, password: 'pw' });
    single.disconnect();
    cluster.disconnect();
  });

  test('describeRedisEndpoint never shows a password', () => {
    expect(describeRedisEndpoint({ kind: 'single', url: 'redis://u:secret@h:1/2' })).toBe('redis://h:1/2');
    expect(describeRedisEndpoint({ kind: 'cluster', nodes: [{ host: 'a', port: 1 }, { host: '::1', port: 2 }], password: 'secret', tls: true })).toBe(
      'rediss+cluster://a:1,[::1]:2'
    );
  });
});
