/**
 * The Redis Cluster suite (`npm run test:cluster`): the delivery integration tests (test/integration/sync-*),
 * test/cluster (a master restarted mid-run) and test/scale (several processes), on a local Redis Cluster
 * of three masters started once by the global setup (test/cluster/global-setup.ts, `redis-server` and
 * `redis-cli` from PATH) and stopped by the teardown. The same test files run on one Redis under `npm test`.
 * @type {import('jest').Config}
 */
import { existsSync } from 'node:fs';
import base from './jest.config.js';

export default {
  ...base,
  // test/scale may not exist (yet): only the folders there are searched
  roots: ['test/integration', 'test/cluster', 'test/scale'].filter((d) => existsSync(d)).map((d) => `<rootDir>/${d}`),
  testMatch: ['**/test/integration/sync-*.int.test.ts', '**/test/cluster/**/*.test.ts', '**/test/scale/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
};
