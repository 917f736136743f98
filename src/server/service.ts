/**
 * Start-up: configuration → HTTP port (503 while starting) → Redis (embedded when allowed) → KAP
 * package → queue workers → the app (API, sandbox, dashboard) mounted → one `close()` for graceful
 * shutdown. The R4 definitions and the parsed profiles load lazily (see {@link startService}). Used by
 * `kap-fhir start` (API + workers), `serve` (API) and `worker` (workers), and by the tests.
 */
import { withViewLink, type PrescriberBundleDecorator } from '../api/view/prescriber-link.js';
import { viewLinkStore } from '../api/view/view-deps.js';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { createApp } from '../api/app.js';
import { createAuthenticator } from '../api/auth.js';
import { createMetrics } from '../api/metrics.js';
import { log } from '../log.js';
import { createEpisodePipeline, episodeProcessor, EpisodeStore } from '../pipeline/index.js';
import type { SyncEngine } from '../../queues/sync-engine.js';
import { kapConformance } from '../validation/index.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import { ConfigError, effectiveRedisPrefix, redisEndpointOf, type ServiceConfig } from '../config/service-config.js';
import { createRedisClient, isCluster, type RedisEndpoint } from '../redis-client.js';
import { sandboxTargets, withDemoClinic, type DemoCredentials } from './demo-clinic.js';
import { ensureRedis, RedisUnavailableError, type RedisHandle } from './embedded-redis.js';
import { serviceCodec } from './encryption-keys.js';
import { answerWhileStarting } from './starting-response.js';
import { kapProfileValidator } from './profile-validator.js';

/** Makes the sync engine (service-sync-engine.ts: src/sync's engine on the service's Redis). */
export type SyncFactory = (options: {
  /** The URL of one Redis (for a cluster: its description, `redis+cluster://h1:p1,…`). */
  redisUrl: string;
  /** The service's Redis: one server or a cluster (what the engine connects to). */
  redis: RedisEndpoint;
  prefix: string;
  targets: Record<string, unknown>[];
  env: NodeJS.ProcessEnv;
  /** The service's keyring: seals the engine's payloads and dead letters. */
  codec: AtRestCodec;
  /** Adds the signed view link to each prescriber Bundle (issue 14). */
  prescriberBundle?: PrescriberBundleDecorator;
}) => Promise<SyncEngine> | SyncEngine;

/** Makes the sandbox EHR to mount at /sandbox/fhir (given the configuration: its body and JSON limits). */
export type SandboxFactory = (config: ServiceConfig) => RequestHandler;

/** Options of {@link startService}. */
export interface ServiceOptions {
  config: ServiceConfig;
  env?: NodeJS.ProcessEnv;
  /** Serve HTTP (API, sandbox, dashboard). */
  api: boolean;
  /** Run the queue workers in this process. */
  workers: boolean;
  createSync: SyncFactory;
  createSandbox?: SandboxFactory;
  /** Called once the port is open (requests get 503 until the service is started), with its origin. */
  onListening?: (url: string) => void;
}

/** A running service. */
export interface RunningService {
  /** e.g. `http://127.0.0.1:8080` (undefined for workers only). */
  url?: string;
  port?: number;
  redisUrl: string;
  demo?: DemoCredentials;
  sync: SyncEngine;
  /** Graceful shutdown: stop accepting, let workers finish, close Redis, stop an embedded Redis. */
  close(): Promise<void>;
}

/**
 * A handler built on its first request (the sandbox EHR loads the R4 definitions, ~1 s: not at start-up).
 * @param create - builds the handler
 */
function onFirstRequest(create: () => RequestHandler): RequestHandler {
  let handler: RequestHandler | undefined;
  return (req, res, next) => {
    handler ??= create();
    return handler(req, res, next);
  };
}

/** The HTTP server, open from the start of start-up: {@link answerWhileStarting} until the app is mounted. */
interface HttpFront {
  server: Server;
  port: number;
  /** Mounts the app: every later request goes to it. */
  mount(app: RequestListener): void;
  /** Stops accepting, waits for the handlers in flight (up to the grace period), cuts what is left. */
  close(): Promise<void>;
}

async function openHttpFront(config: ServiceConfig): Promise<HttpFront> {
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Responses whose handler has not ended yet: shutdown waits for them even when the client left.
  const inflight = new Set<ServerResponse>();
  let handle: RequestListener = answerWhileStarting;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inflight.add(res);
    res.once('finish', () => inflight.delete(res));
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    mount(app) {
      handle = app;
    },
    async close() {
      const deadline = Date.now() + config.shutdownTimeoutSeconds * 1000;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      while ([...inflight].some((r) => !r.writableEnded) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      // Connections still open after the handlers are done (or the grace period) are cut.
      for (const sock of sockets) {
        sock.destroy();
      }
      await closed;
    },
  };
}

/**
 * Starts the service. The port opens first (requests get {@link answerWhileStarting} until the app
 * is mounted). The KAP package is read here (a few ms); the app is mounted, and `/ready` answers,
 * before the R4 definitions are loaded: the map + validate threads load them in the background, this
 * thread on first use (`$validate`, the sandbox, episodes when `mapThreads` is 0). The promise resolves
 * once the threads have loaded them, as before: an episode sent then finds its thread warm.
 * @param options - see {@link ServiceOptions}
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const env = options.env ?? process.env;
  const withDemo = withDemoClinic(options.config, env);
  const demo = withDemo.demo;
  // On a cluster, the prefix carries the hash tag (loadConfig sets it already; a config built otherwise gets it here).
  const config: ServiceConfig = { ...withDemo.config, redisPrefix: effectiveRedisPrefix(withDemo.config) };
  if (options.api && config.clinics.length === 0 && !config.jwt) {
    throw new ConfigError('invalid configuration:\n  clinics: no clinic is configured and no JWT issuer (jwt.jwksUrl / KAP_JWKS_URL)');
  }
  // Current + previous keys; outside production without a key, the install's `.data/encryption-key`.
  const codec = serviceCodec(config);

  const http = options.api ? await openHttpFront(config) : undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    // HTTP first (no new work, in-flight handlers finish), then the rest in reverse order of start.
    for (const fn of [...(http ? [() => http.close()] : []), ...cleanups.reverse()]) {
      await fn().catch((err: unknown) => log.warn({ errorName: (err as Error)?.name }, 'shutdown step failed'));
    }
  };
  try {
    if (http) {
      options.onListening?.(`http://127.0.0.1:${http.port}`);
    }
    const redisHandle: RedisHandle = await ensureRedis({
      url: config.redisUrl,
      endpoint: redisEndpointOf(config),
      explicit: config.redisUrlExplicit,
      allowEmbedded: !config.production,
    });
    cleanups.push(() => redisHandle.stop());
    const redis = createRedisClient(redisHandle.endpoint, { maxRetriesPerRequest: 2, lazyConnect: true });
    redis.on('error', (err: NodeJS.ErrnoException) => log.warn({ code: err.code ?? err.name }, 'redis connection error'));
    try {
      await redis.connect();
    } catch {
      redis.disconnect();
      if (isCluster(redis)) {
        throw new RedisUnavailableError(
          `Redis Cluster at ${redisHandle.url} does not answer (or its state is not ok). Start it or fix REDIS_CLUSTER_NODES.`
        );
      }
      const u = new URL(redisHandle.url);
      throw new RedisUnavailableError(
        `Redis at ${u.hostname}:${u.port || 6379} does not answer. Start it (\`docker compose up -d redis\`, or the OS package: ` +
          '`apt-get install redis-server`) or fix REDIS_URL.'
      );
    }
    cleanups.push(async () => {
      await redis.quit();
    });


    const port = http?.port ?? config.port;
    const origin = `http://127.0.0.1:${port}`;
    const targets: Record<string, unknown>[] = config.clinics.flatMap((c) =>
      c.targets.map((t) => ({ ...t, clinicId: c.id }))
    );
    if (demo && (config.sandbox || env.KAP_SANDBOX_URL)) {
      // KAP_SANDBOX_URL: a sandbox EHR elsewhere (docker compose); else the one mounted here.
      targets.push(...sandboxTargets(env.KAP_SANDBOX_URL ?? `${origin}/sandbox/fhir`, demo.clinicId));
    }
    const prescriberBundle = withViewLink(viewLinkStore(config, redis, config.redisPrefix, codec), {
      publicUrl: config.publicUrl,
      days: config.viewLinkDays,
    });
    const sync = await options.createSync({ redisUrl: redisHandle.url, redis: redisHandle.endpoint, prefix: config.redisPrefix, targets, env, codec, prescriberBundle });
    cleanups.push(() => sync.close());
    if (options.workers) {
      await sync.startWorkers();
    }

    // Started last, so that on a busy machine the threads' loading does not slow the steps above. The
    // threads load the definitions in the background; an episode sent meanwhile waits for its thread.
    const processor = episodeProcessor(options.api ? config.mapThreads : 0);
    cleanups.push(() => processor.close());
    const threadsLoaded = processor.warm();
    threadsLoaded.catch(() => undefined); // awaited below, once the app is mounted: a failure fails the start there
    // `POST /fhir` Bundles and `$validate` are validated where episodes are: on the threads.
    const validator = kapProfileValidator(processor);
    validator.warm(); // reads the KAP package (shared with the /fhir conformance routes); profiles parse on first use

    if (http) {
      const createSandbox = options.createSandbox;
      const metrics = createMetrics(() => sync);
      const store = new EpisodeStore(redis, config.redisPrefix, codec);
      http.mount(
        createApp({
          config,
          redis,
          prefix: config.redisPrefix,
          auth: createAuthenticator(config),
          pipeline: createEpisodePipeline({ config, store, processor, sync, metrics }),
          validator,
          sync,
          codec,
          conformance: kapConformance(),
          metrics,
          sandbox: config.sandbox && createSandbox ? onFirstRequest(() => createSandbox(config)) : undefined,
        })
      );
    }
    // The app answers from here (`/ready` included); start-up completes once the threads have loaded the
    // definitions (off the event loop). Without threads they load in this thread on the first episode:
    // loading them here would hold every request, `/ready` included, for as long (seconds on a busy machine).
    await threadsLoaded;
    log.info(
      {
        port: http ? port : undefined,
        workers: options.workers,
        embeddedRedis: redisHandle.embedded,
        clinics: config.clinics.length,
        sandbox: Boolean(config.sandbox && http),
        // Key ids are fingerprints, not keys: which key seals, which previous ones still open.
        keyId: codec.currentKeyId,
        previousKeyIds: codec.keyIds.slice(1),
        devKey: !config.encryptionKey,
      },
      'kap-fhir started'
    );
    let stopping: Promise<void> | undefined;
    return {
      url: http ? origin : undefined,
      port: http ? port : undefined,
      redisUrl: redisHandle.url,
      demo,
      sync,
      close() {
        stopping ??= cleanup();
        return stopping;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
