/**
 * Start-up: configuration → Redis (embedded when allowed) → validator warm-up → HTTP server
 * (API, sandbox, dashboard) and/or queue workers → one `close()` for graceful shutdown. Used by
 * `kap-fhir start` (API + workers), `serve` (API) and `worker` (workers), and by the tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { createApp } from '../api/app.js';
import { createAuthenticator } from '../api/auth.js';
import { EpisodeStore } from '../api/episode-store.js';
import { ConformanceStore } from '../api/fhir/conformance-store.js';
import { createMetrics } from '../api/metrics.js';
import type { SyncPort } from '../api/ports.js';
import { log } from '../log.js';
import { episodeProcessor } from '../pipeline/episode-processor.js';
import { kapPackageDir } from '../validation/index.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import { ConfigError, type ServiceConfig } from './config.js';
import { sandboxTargets, withDemoClinic, type DemoCredentials } from './demo-clinic.js';
import { ensureRedis, RedisUnavailableError, type RedisHandle } from './embedded-redis.js';
import { serviceCodec } from './encryption-keys.js';
import { episodePort, validationPort } from './wiring.js';

/** The sync engine as the service drives it. */
export interface SyncHandle extends SyncPort {
  startWorkers(): Promise<void> | void;
  close(): Promise<void>;
}

/** Makes the sync engine (src/server/sync-adapter.ts binds src/sync). */
export type SyncFactory = (options: {
  redisUrl: string;
  prefix: string;
  targets: Record<string, unknown>[];
  env: NodeJS.ProcessEnv;
  /** The service's keyring: seals the engine's payloads and dead letters. */
  codec: AtRestCodec;
}) => Promise<SyncHandle> | SyncHandle;

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
}

/** A running service. */
export interface RunningService {
  /** e.g. `http://127.0.0.1:8080` (undefined for workers only). */
  url?: string;
  port?: number;
  redisUrl: string;
  demo?: DemoCredentials;
  sync: SyncHandle;
  /** Graceful shutdown: stop accepting, let workers finish, close Redis, stop an embedded Redis. */
  close(): Promise<void>;
}

/**
 * Starts the service.
 * @param options - see {@link ServiceOptions}
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const env = options.env ?? process.env;
  const { config, demo } = withDemoClinic(options.config, env);
  if (options.api && config.clinics.length === 0 && !config.jwt) {
    throw new ConfigError('invalid configuration:\n  clinics: no clinic is configured and no JWT issuer (jwt.jwksUrl / KAP_JWKS_URL)');
  }
  // Current + previous keys; outside production without a key, the install's `.data/encryption-key`.
  const codec = serviceCodec(config);

  const redisHandle: RedisHandle = await ensureRedis({
    url: config.redisUrl,
    explicit: config.redisUrlExplicit,
    allowEmbedded: !config.production,
  });
  const cleanups: (() => Promise<void>)[] = [() => redisHandle.stop()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch((err: unknown) => log.warn({ errorName: (err as Error)?.name }, 'shutdown step failed'));
    }
  };
  try {
    const redis = new Redis(redisHandle.url, { maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: true });
    redis.on('error', (err: NodeJS.ErrnoException) => log.warn({ code: err.code ?? err.name }, 'redis connection error'));
    try {
      await redis.connect();
    } catch {
      redis.disconnect();
      const u = new URL(redisHandle.url);
      throw new RedisUnavailableError(
        `Redis at ${u.hostname}:${u.port || 6379} does not answer. Start it (\`docker compose up -d redis\`, or the OS package: ` +
          '`apt-get install redis-server`) or fix REDIS_URL.'
      );
    }
    cleanups.push(async () => {
      await redis.quit();
    });

    const validation = validationPort();
    const processor = episodeProcessor(options.api ? config.mapThreads : 0);
    cleanups.push(() => processor.close());
    await Promise.all([processor.warm(), Promise.resolve().then(() => validation.warm())]);

    let server: Server | undefined;
    let port = config.port;
    const sockets = new Set<Socket>();
    if (options.api) {
      server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(config.port, config.host, () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    }
    const origin = `http://127.0.0.1:${port}`;

    const targets: Record<string, unknown>[] = config.clinics.flatMap((c) =>
      c.targets.map((t) => ({ ...t, clinicId: c.id }))
    );
    if (demo && (config.sandbox || env.KAP_SANDBOX_URL)) {
      // KAP_SANDBOX_URL: a sandbox EHR elsewhere (docker compose); else the one mounted here.
      targets.push(...sandboxTargets(env.KAP_SANDBOX_URL ?? `${origin}/sandbox/fhir`, demo.clinicId));
    }
    const sync = await options.createSync({ redisUrl: redisHandle.url, prefix: config.redisPrefix, targets, env, codec });
    cleanups.push(() => sync.close());
    if (options.workers) {
      await sync.startWorkers();
    }

    if (server) {
      const metrics = createMetrics(() => sync);
      const app = createApp({
        config,
        redis,
        prefix: config.redisPrefix,
        auth: createAuthenticator(config),
        episodes: episodePort(processor),
        validation,
        sync,
        store: new EpisodeStore(redis, config.redisPrefix, codec),
        codec,
        conformance: ConformanceStore.fromFolder(kapPackageDir()),
        metrics,
        sandbox: config.sandbox && options.createSandbox ? options.createSandbox(config) : undefined,
      });
      // Responses whose handler has not ended yet: shutdown waits for them even when the client left.
      const inflight = new Set<ServerResponse>();
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        inflight.add(res);
        res.once('finish', () => inflight.delete(res));
        app(req, res);
      });
      const s = server;
      cleanups.push(async () => {
        const deadline = Date.now() + config.shutdownTimeoutSeconds * 1000;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        while ([...inflight].some((r) => !r.writableEnded) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 25));
        }
        // Connections still open after the handlers are done (or the grace period) are cut.
        for (const sock of sockets) {
          sock.destroy();
        }
        await closed;
      });
    }
    log.info(
      {
        port: server ? port : undefined,
        workers: options.workers,
        embeddedRedis: redisHandle.embedded,
        clinics: config.clinics.length,
        sandbox: Boolean(config.sandbox && server),
        // Key ids are fingerprints, not keys: which key seals, which previous ones still open.
        keyId: codec.currentKeyId,
        previousKeyIds: codec.keyIds.slice(1),
        devKey: !config.encryptionKey,
      },
      'kap-fhir started'
    );
    let closing: Promise<void> | undefined;
    return {
      url: server ? origin : undefined,
      port: server ? port : undefined,
      redisUrl: redisHandle.url,
      demo,
      sync,
      close() {
        closing ??= cleanup();
        return closing;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
