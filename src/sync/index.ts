/** Delivery to targets: target config, auth, the writer, delivery bookkeeping (the queues and their engine: queues/). */
export * from './auth.js';
export * from './content-hash.js';
export * from './config.js';
export * from './delivery.js';
export * from './delivery-store.js';
export * from './entry-references.js';
export * from './errors.js';
export * from './fhir-target.js';
export * from './prescriber-deliveries.js';
export * from './signal-deliveries.js';
export * from './webhook.js';
