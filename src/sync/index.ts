/** The sync engine (issue 6): targets, auth, upsert strategy, delivery bookkeeping, enqueue API. */
export * from './auth.js';
export * from './bundle-tools.js';
export * from './config.js';
export * from './delivery.js';
export * from './delivery-store.js';
export * from './engine.js';
export * from './errors.js';
export * from './fhir-target.js';
export * from './webhook.js';
