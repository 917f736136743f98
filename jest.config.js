/**
 * Jest runs the TypeScript sources as native ES modules (the project is ESM because
 * fhir-kit-client 2.x is ESM-only), transformed by SWC; `tsc` does the type checking.
 * Unit tests sit beside their code (`*.test.ts`); tests on real Redis and real HTTP
 * servers live in test/integration (`*.int.test.ts`).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/queues', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
    ],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
