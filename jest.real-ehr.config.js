/**
 * The real-FHIR-server suite (`npm run test:real-ehr`): test/real-ehr/*.real.test.ts against the Medplum
 * server of ../shared/real-ehr, started once by the global setup (skipped with a one-line notice when the
 * kit is absent; in CI its absence fails the run).
 * @type {import('jest').Config}
 */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test/real-ehr'],
  testMatch: ['**/*.real.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/real-ehr/global-setup.ts',
  // one server, one project: files run one after another
  maxWorkers: 1,
  testTimeout: 600000,
};
