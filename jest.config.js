/**
 * Jest runs the TypeScript sources as native ES modules (the project is ESM because
 * fhir-kit-client 2.x is ESM-only), transpiled file by file by ts-jest (isolatedModules); `tsc` does the type checking.
 * Unit tests sit beside their code (`*.test.ts`); tests on real Redis and real HTTP
 * servers live in test/integration (`*.int.test.ts`).
 * @type {import('jest').Config}
 */
import { existsSync } from 'node:fs';

export default {
  testEnvironment: 'node',
  roots: ['src', 'queues', 'test', 'scripts'].filter((d) => existsSync(d)).map((d) => `<rootDir>/${d}`),
  testMatch: ['**/*.test.ts'],
  // the real-FHIR-server suite and the Redis Cluster suite have their own configs (jest.real-ehr.config.js,
  // `npm run test:real-ehr`; jest.cluster.config.js, `npm run test:cluster`)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/real-ehr/', '<rootDir>/test/cluster/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // Child processes run dist/ (the binary, compiled entry points): built here once when stale.
  globalSetup: '<rootDir>/test/global-setup.ts',
  // Generous: the suite must pass with every core busy (.ci/run runs it again under scripts/cpu-burner.sh),
  // where a test takes many times longer than on a quiet one. A test's own waits are on events,
  // bounded by the named limits of test/helpers/timeouts.ts.
  testTimeout: 180_000,
  maxWorkers: 2,
};
