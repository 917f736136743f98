/**
 * Everything the app is built from: configuration, Redis, the module ports and the API's own
 * stores. `createApp(deps)` (app.ts) never opens a connection or a port itself.
 */
import type { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import type { ServiceConfig } from '../server/config.js';
import type { Authenticator } from './auth.js';
import type { ConformanceStore } from './fhir/conformance-store.js';
import type { EpisodeStore } from './episode-store.js';
import type { ApiMetrics } from './metrics.js';
import type { EpisodePort, SyncPort, ValidationPort } from './ports.js';

/** The app's dependencies. */
export interface AppDeps {
  config: ServiceConfig;
  /** Redis for the API's own keys (rate limit, idempotency, episodes). */
  redis: Redis;
  /** Key prefix of the API's own keys. */
  prefix: string;
  auth: Authenticator;
  episodes: EpisodePort;
  validation: ValidationPort;
  sync: SyncPort;
  store: EpisodeStore;
  /** Seals the API's records at rest (idempotency records; the episode store was built with it too). */
  codec: AtRestCodec;
  conformance: ConformanceStore;
  metrics: ApiMetrics;
  /** The sandbox EHR, mounted at /sandbox/fhir when given. */
  sandbox?: RequestHandler;
}
