import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig, redisEndpointOf } from './service-config.js';

describe('Redis Cluster configuration', () => {
  test('REDIS_CLUSTER_NODES selects cluster mode: tagged prefix, no embedded Redis', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' }, undefined);
    expect(c.redisPrefix).toBe('{kap}');
    expect(c.redisUrlExplicit).toBe(true);
    expect(redisEndpointOf(c)).toEqual({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }] });
  });

  test('a redis+cluster:// URL does too; a prefix with a tag is kept', () => {
    const c = loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1:7000', REDIS_PREFIX: 'clinics-{eu}' }, undefined);
    expect(c.redisPrefix).toBe('clinics-{eu}');
    expect(redisEndpointOf(c).kind).toBe('cluster');
  });

  test('one Redis keeps the prefix as configured', () => {
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example:6380' }, undefined).redisPrefix).toBe('kap');
  });

  test('a bad node list names the setting, not the value', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'secret-host:x' }, undefined)).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'secret-host:x' }, undefined)).toThrow(/redisClusterNodes \(env REDIS_CLUSTER_NODES\)/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'secret-host:x' }, undefined)).not.toThrow(/secret-host/);
  });

  test('production accepts REDIS_CLUSTER_NODES in place of REDIS_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', REDIS_CLUSTER_NODES: '10.0.0.1:7000' }, undefined)).not.toThrow(/REDIS_URL/);
  });
});
