/**
 * What the app is built from: configuration, Redis, the submission pipeline, the sync engine, the profile
 * validator and the conformance resources. `createApp(options)` (app.ts) never opens a connection or a
 * port itself; src/server/service.ts builds these, tests build the same real ones.
 */
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { RequestHandler } from 'express';
import type { RedisClient } from '../redis-client.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import type { EpisodePipeline } from '../pipeline/episode-pipeline.js';
import type { ServiceConfig } from '../config/service-config.js';
import type { SyncEngine } from '../../queues/sync-engine.js';
import type { ConformanceStore } from '../validation/conformance-store.js';
import type { ValidateOptions } from '../validation/validator.js';
import type { Authenticator } from './auth.js';
import type { ApiMetrics } from './metrics.js';

/** Validation against the KAP profiles (src/validation) for `$validate` and the FHIR intake. */
export interface ProfileValidator {
  validate(resource: Resource, options?: ValidateOptions): OperationOutcome | Promise<OperationOutcome>;
  /** True when the compiled package is loaded (readiness). */
  loaded(): boolean;
}

/** The options of `createApp`. */
export interface AppOptions {
  config: ServiceConfig;
  /** Redis for the API's own keys (rate limit, idempotency). */
  redis: RedisClient;
  /** Key prefix of the API's own keys. */
  prefix: string;
  auth: Authenticator;
  /** Every write goes through it: parse → map → safety signals → validate → store → enqueue. */
  pipeline: EpisodePipeline;
  validator: ProfileValidator;
  /** Jobs, dead letters, delivery log, reconcile, and the queues for the dashboard and metrics. */
  sync: SyncEngine;
  /** Seals the API's records at rest (idempotency records). */
  codec: AtRestCodec;
  conformance: ConformanceStore;
  metrics: ApiMetrics;
  /** The sandbox EHR, mounted at /sandbox/fhir when given. */
  sandbox?: RequestHandler;
}
