/**
 * Redis for the embedded defaults: the configured REDIS_URL (or Redis Cluster: never embedded); else whatever answers at
 * 127.0.0.1:6379; else a private `redis-server` from PATH, started here with AOF on and its data
 * in the git-ignored `.data/redis/`, stopped with the service. Without one: a message saying how
 * to get one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { log } from '../log.js';
import { dataDir } from './project-root.js';
import { freePort } from '../free-port.js';
import { describeRedisEndpoint, parseRedisEndpoint, type RedisEndpoint } from '../redis-client.js';

/** Raised when the service cannot get a Redis; the message tells the user what to do. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** The Redis the service uses. */
export interface RedisHandle {
  /** The URL of one Redis; for a cluster its description (`redis+cluster://h1:p1,…`, no password). */
  url: string;
  /** Where it is: what clients are made from (`createRedisClient`). */
  endpoint: RedisEndpoint;
  /** True when this process started it. */
  embedded: boolean;
  /** Stops the private redis-server (no-op otherwise). */
  stop(): Promise<void>;
}

const HOW_TO_GET_ONE =
  'Install one (Debian/Ubuntu: `apt-get install redis-server`; Fedora: `dnf install redis`; macOS: `brew install redis`) ' +
  'or start the project\'s: `docker compose up -d redis`. Or point REDIS_URL at a running Redis.';

/**
 * Sends PING over a raw socket (no client library, short timeout).
 * @returns 'pong' when a Redis answered, 'refused' when nothing listens, 'other' otherwise
 */
export function probeRedis(host: string, port: number, timeoutMs = 800): Promise<'pong' | 'refused' | 'other'> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let data = '';
    const done = (r: 'pong' | 'refused' | 'other') => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done('other'));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) {
        done(data.startsWith('+PONG') || data.startsWith('-NOAUTH') ? 'pong' : 'other');
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'other'));
  });
}

/** Finds an executable on PATH. */
export function findOnPath(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) {
      continue;
    }
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}


/**
 * Gets a Redis for the service.
 * @param options - the configured URL and whether it was given explicitly; `allowEmbedded` false in production
 */
export async function ensureRedis(options: {
  url: string;
  /** The configured endpoint (`redisEndpointOf(config)`; default: read from `url`). A cluster is used as it is, never embedded. */
  endpoint?: RedisEndpoint;
  explicit: boolean;
  allowEmbedded: boolean;
  /** Data folder (default `.data/redis`). */
  dir?: string;
  /** Where the default Redis is looked for (default 6379). */
  defaultPort?: number;
  /** PATH to search for redis-server (default `process.env.PATH`). */
  pathVar?: string;
}): Promise<RedisHandle> {
  const defaultPort = options.defaultPort ?? 6379;
  const none = async () => undefined;
  const configured = options.endpoint ?? parseRedisEndpoint(options.url);
  if (configured.kind === 'cluster') {
    return { url: describeRedisEndpoint(configured), endpoint: configured, embedded: false, stop: none };
  }
  if (options.explicit || !options.allowEmbedded) {
    return { url: configured.url, endpoint: configured, embedded: false, stop: none };
  }
  const probe = await probeRedis('127.0.0.1', defaultPort);
  if (probe === 'pong') {
    const url = `redis://127.0.0.1:${defaultPort}`;
    return { url, endpoint: { kind: 'single', url }, embedded: false, stop: none };
  }
  const binary = findOnPath('redis-server', options.pathVar);
  if (!binary) {
    throw new RedisUnavailableError(
      `No Redis answers at 127.0.0.1:${defaultPort} and there is no redis-server on PATH. ${HOW_TO_GET_ONE}`
    );
  }
  // Take the default port when it is free (then `kap-fhir worker` started later finds it too), else any free port.
  const port = probe === 'refused' ? defaultPort : await freePort();
  const dir = options.dir ?? join(dataDir(), 'redis');
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--loglevel', 'warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  for (let i = 0; i < 100 && !exited; i++) {
    if ((await probeRedis('127.0.0.1', port, 300)) === 'pong') {
      log.info({ port, pid: child.pid }, 'started a private redis-server (AOF on, data in .data/redis)');
      const url = `redis://127.0.0.1:${port}`;
      return {
        url,
        endpoint: { kind: 'single', url },
        embedded: true,
        async stop() {
          process.removeListener('exit', killOnExit);
          if (!exited) {
            child.kill('SIGTERM');
            await exitedPromise;
          }
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server (${binary}) did not start on 127.0.0.1:${port}. ${HOW_TO_GET_ONE}`);
}
