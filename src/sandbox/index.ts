/** The sandbox EHR (issue 6): a FHIR R4 server with fault injection, for tests and `npm run sandbox`. */
export * from './capability-statement.js';
export * from './fault-injector.js';
export * from './loopback.js';
export * from './quota.js';
export * from './sandbox.js';
export * from './sandbox-repository.js';
export * from './search-parameters.js';
export * from './strict.js';
export * from './token-endpoint.js';
export * from './synthetic-episode.js';
export * from './transaction.js';
