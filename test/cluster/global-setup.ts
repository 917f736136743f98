/**
 * Jest global setup of `npm run test:cluster`: what `npm test`'s does (dist/ built when stale, one map thread
 * per service), then a local Redis Cluster (test/helpers/redis-cluster.ts: three masters, AOF) whose nodes go
 * to the test files as `KAP_TEST_REDIS_CLUSTER` (test/integration/helpers/redis.ts reads it). The cluster is kept
 * on `globalThis` for the teardown (global-teardown.ts), which runs in this same process.
 *
 * Node loads a global setup itself (no jest transform, no module mapping): the project's hooks
 * (scripts/ts-hooks.ts: `./x.js` → `./x.ts`) are registered first, then the TypeScript helpers are imported.
 */
import type { LocalRedisCluster } from '../helpers/redis-cluster.js';

/** Where the teardown finds the cluster. */
export const CLUSTER_GLOBAL = '__kapRedisCluster';

export default async function globalSetup(): Promise<void> {
  await import(new URL('../../scripts/ts-hooks.ts', import.meta.url).href);
  const base = (await import(new URL('../global-setup.ts', import.meta.url).href)) as { default: () => void };
  base.default();
  const { startRedisCluster } = (await import(new URL('../helpers/redis-cluster.ts', import.meta.url).href)) as typeof import('../helpers/redis-cluster.js');
  const started = Date.now();
  const cluster: LocalRedisCluster = await startRedisCluster({ masters: 3 });
  (globalThis as Record<string, unknown>)[CLUSTER_GLOBAL] = cluster;
  process.env.KAP_TEST_REDIS_CLUSTER = cluster.nodesEnv;
  process.stderr.write(`\nnpm run test:cluster: Redis Cluster of 3 masters at ${cluster.nodesEnv} (${Date.now() - started} ms)\n`);
}
