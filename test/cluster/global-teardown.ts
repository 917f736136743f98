/** Jest global teardown of `npm run test:cluster`: stops the Redis Cluster of global-setup.ts and removes its data. */
import type { LocalRedisCluster } from '../helpers/redis-cluster.js';

export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as Record<string, unknown>).__kapRedisCluster as LocalRedisCluster | undefined;
  await cluster?.stop();
}
