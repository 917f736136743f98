/**
 * Service configuration: an optional JSON file (`KAP_CONFIG` or `--config FILE`) overlaid by
 * environment variables, validated with zod at start. Errors name the setting, never its value.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { safetyOverridesSchema } from '../safety/config.js';
import { isKapNamespace } from '../terminology/kap-namespace.js';
import { FHIR_ID } from '../fhir-id.js';
import { clusterPrefix, parseRedisEndpoint, RedisEndpointError, type RedisEndpoint } from '../redis-client.js';

/** The most map threads started by default (each holds ~150 MB of profiles); set `KAP_MAP_THREADS` for more. */
export const DEFAULT_MAP_THREADS_MAX = 8;

/** One map thread per core this process may run on, at most {@link DEFAULT_MAP_THREADS_MAX}. */
export function defaultMapThreads(): number {
  return Math.max(1, Math.min(DEFAULT_MAP_THREADS_MAX, availableParallelism()));
}

/** A SHA-256 hex digest of an API key (keys are never stored in clear). */
const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'must be a lowercase SHA-256 hex digest');

/** One clinic: its id, the hashes of its API keys (several, for rotation) and its delivery targets. */
export const clinicConfigSchema = z.object({
  id: z.string().regex(FHIR_ID, 'must match the FHIR id pattern [A-Za-z0-9-.]{1,64}'),
  apiKeySha256: z.array(sha256Hex).default([]),
  /** Delivery targets (EHR / prescriber), passed as they are to the sync engine. */
  targets: z.array(z.record(z.string(), z.unknown())).default([]),
  /**
   * The identifier systems this clinic's patient identifiers may use (its EHR's MRN system …), exactly
   * as sent. Absent or empty: any system except kap-fhir's own namespaces and the systems other
   * clinics list here (docs/security.md "Identifier namespaces").
   */
  identifierSystems: z
    .array(z.string().regex(/^\S+$/).refine((s) => !isKapNamespace(s), 'must not be a kap-fhir namespace'))
    .optional(),
  /**
   * The clinic's safety thresholds, overriding the defaults in part (src/safety/config.ts, docs/safety.md): e.g.
   * `{ "heartRateAbove": 130, "routes": { "iv": { "minObservationMinutes": 90 } } }`. Absent: the defaults.
   */
  safety: safetyOverridesSchema.optional(),
});

/**
 * Bounds on the work one request may cause (docs/security.md "Limits"), checked before an episode
 * is mapped or validated: over a limit → 413 `too-costly` naming the collection. The defaults fit a
 * year of weekly KAP care with room to spare (the examples: ≤ 12 sessions, ≤ 10 vitals, 124 resources).
 */
export const limitsSchema = z.strictObject({
  sessionsPerEpisode: z.coerce.number().int().min(1).default(250),
  vitalsPerSession: z.coerce.number().int().min(1).default(500),
  sideEffectsPerSession: z.coerce.number().int().min(1).default(50),
  questionnairesPerEpisode: z.coerce.number().int().min(1).default(500),
  /** FHIR resources an episode maps to (counted before mapping), or that a POST /fhir or $validate body holds. */
  resourcesPerRequest: z.coerce.number().int().min(1).default(3000),
  /**
   * Dosing sessions whose summary (and REMS record) each version of an episode carries: the latest ones by dose start
   * (src/summary/session-summaries.ts; about 55 ms of CPU and a PDF each). Raise it for a backfill that must deliver
   * every session's summary in one version; 0: no summaries.
   */
  summariesPerVersion: z.coerce.number().int().min(0).max(250).default(12),
});
/** The work bounds. */
export type Limits = z.infer<typeof limitsSchema>;

/** The whole configuration. */
export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** `redis://`, `rediss://` (TLS) or `redis+cluster://h1:p1,h2:p2` (a Redis Cluster; `rediss+cluster://`: TLS). */
  redisUrl: z.string().refine(isRedisUrl, 'must be a redis://, rediss:// or redis+cluster:// URL').default('redis://127.0.0.1:6379'),
  /**
   * Seed nodes of a Redis Cluster, `h1:p1,h2:p2` (env REDIS_CLUSTER_NODES; in the file also a list): selects
   * cluster mode, with REDIS_URL's user, password and TLS. docs/redis-cluster.md.
   */
  redisClusterNodes: z
    .preprocess((v) => (Array.isArray(v) ? v.join(',') : v), z.string().refine(isRedisNodeList, 'expected host:port[,host:port…]'))
    .optional(),
  /** True when REDIS_URL (or REDIS_CLUSTER_NODES) was given: the service then never starts a Redis of its own. */
  redisUrlExplicit: z.boolean().default(false),
  /** Key prefix of every key of the service; on a cluster the effective one carries a hash tag (`{kap}`, {@link redisEndpointOf}). */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_\-{}]{1,64}$/).default('kap'),
  /** Body size limit (bytes, or a string such as `5mb`). */
  bodyLimit: z.union([z.number().int().positive(), z.string().regex(/^\d+(b|kb|mb)$/i)]).default('5mb'),
  jsonMaxDepth: z.coerce.number().int().min(4).max(256).default(40),
  jsonMaxArrayLength: z.coerce.number().int().min(10).default(10000),
  /** Requests per clinic per window; 0 disables the limit. */
  rateLimitPerWindow: z.coerce.number().int().min(0).default(1200),
  rateLimitWindowSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** AES-256-GCM key for KAP episodes kept at rest: 32 bytes, base64 or hex. */
  encryptionKey: z.string().optional(),
  /** Previous keys (same encoding): they open what they sealed, never seal — key rotation. Env: comma-separated. */
  encryptionKeysPrevious: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').map((k) => k.trim()).filter(Boolean) : v), z.array(z.string()))
    .default([]),
  clinics: z.array(clinicConfigSchema).default([]),
  limits: limitsSchema.prefault({}),
  /** Hashes of the operators' (admin role) API keys. */
  adminApiKeySha256: z.array(sha256Hex).default([]),
  jwt: z
    .object({
      jwksUrl: z.url().optional(),
      jwksFile: z.string().optional(),
      /** Required (see the refinement below): without them any token the keys sign would do. */
      issuer: z.string().optional(),
      audience: z.string().optional(),
      clinicClaim: z.string().default('clinic_id'),
      rolesClaim: z.string().default('roles'),
      /** Longest accepted token lifetime: exp − iat, or exp − now without iat (default 3600). */
      maxLifetimeSeconds: z.coerce.number().int().min(1).max(86400).optional(),
      /** Clock difference allowed on exp / nbf / iat (default 30). */
      clockToleranceSeconds: z.coerce.number().int().min(0).max(300).optional(),
    })
    .refine((j) => j.jwksUrl !== undefined || j.jwksFile !== undefined, 'needs jwksUrl or jwksFile')
    .superRefine((j, ctx) => {
      for (const [key, envName] of [['issuer', 'KAP_JWT_ISSUER'], ['audience', 'KAP_JWT_AUDIENCE']] as const) {
        if (!j[key]) {
          ctx.addIssue({ code: 'custom', path: [key], message: `required whenever JWT is configured (env ${envName})` });
        }
      }
    })
    .optional(),
  /** Mount the sandbox EHR at /sandbox/fhir (default: on outside production). */
  sandbox: z.boolean().optional(),
  /**
   * Worker threads that map, validate and render submissions off the event loop (0: in the request's thread).
   * Default: one per core this process may run on (`os.availableParallelism()`, which honours CPU affinity and
   * container CPU sets), at most {@link DEFAULT_MAP_THREADS_MAX}. Each thread holds its own copy of the profiles
   * (~150 MB). docs/operations.md sizes it.
   */
  mapThreads: z.coerce.number().int().min(0).max(64).default(() => defaultMapThreads()),
  /** Run the queue workers in the API process (`start`); `serve` turns this off. */
  workers: z.boolean().default(true),
  /** Seconds to wait for in-flight work at shutdown. */
  shutdownTimeoutSeconds: z.coerce.number().min(1).max(600).default(20),
  production: z.boolean().default(false),
  /**
   * Secret that signs the prescriber's view links (`/view/<token>`, src/api/view): the link store keys each token
   * by its HMAC-SHA256 under this secret, so neither a Redis dump nor a Redis writer can mint a link. At least 32
   * characters; required in production; outside production an embedded development secret stands in.
   */
  viewLinkKey: z.string().min(32).optional(),
  /** Days a view link lives when the clinic names none (1–30, the most a link may live). */
  viewLinkDays: z.coerce.number().int().min(1).max(30).default(7),
  /** The service's public base URL (`https://kap.example.org`), for absolute view links; absent: links are paths. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** True for a URL {@link parseRedisEndpoint} reads. */
function isRedisUrl(url: string): boolean {
  try {
    parseRedisEndpoint(url);
    return true;
  } catch {
    return false;
  }
}

/** True for a `host:port[,host:port…]` list. */
function isRedisNodeList(nodes: string): boolean {
  try {
    return parseRedisEndpoint('redis://127.0.0.1', nodes).kind === 'cluster';
  } catch {
    return false;
  }
}

/**
 * The Redis a configuration names: one server or a cluster (`redisClusterNodes`, or a `redis+cluster://` URL).
 * @param config - the configuration
 */
export function redisEndpointOf(config: Pick<ServiceConfig, 'redisUrl' | 'redisClusterNodes'>): RedisEndpoint {
  return parseRedisEndpoint(config.redisUrl, config.redisClusterNodes);
}

/**
 * The key prefix in effect: on a cluster the configured one with a hash tag ({@link clusterPrefix}: `kap` →
 * `{kap}`), so that every key of the service lives in one slot; else as configured.
 * @param config - the configuration
 */
export function effectiveRedisPrefix(config: Pick<ServiceConfig, 'redisUrl' | 'redisClusterNodes' | 'redisPrefix'>): string {
  return redisEndpointOf(config).kind === 'cluster' ? clusterPrefix(config.redisPrefix) : config.redisPrefix;
}

/** Validated configuration. */
export type ServiceConfig = z.infer<typeof configSchema>;
/** One clinic's configuration. */
export type ClinicConfig = z.infer<typeof clinicConfigSchema>;

/** Thrown when the configuration is not valid; `message` lists each bad setting on its own line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_MAP: Record<string, keyof ServiceConfig> = {
  PORT: 'port',
  HOST: 'host',
  REDIS_URL: 'redisUrl',
  REDIS_CLUSTER_NODES: 'redisClusterNodes',
  REDIS_PREFIX: 'redisPrefix',
  BODY_LIMIT: 'bodyLimit',
  JSON_MAX_DEPTH: 'jsonMaxDepth',
  JSON_MAX_ARRAY_LENGTH: 'jsonMaxArrayLength',
  RATE_LIMIT_PER_WINDOW: 'rateLimitPerWindow',
  RATE_LIMIT_WINDOW_SECONDS: 'rateLimitWindowSeconds',
  KAP_ENCRYPTION_KEY: 'encryptionKey',
  KAP_ENCRYPTION_KEYS_PREVIOUS: 'encryptionKeysPrevious',
  SHUTDOWN_TIMEOUT_SECONDS: 'shutdownTimeoutSeconds',
  KAP_MAP_THREADS: 'mapThreads',
  KAP_VIEW_LINK_KEY: 'viewLinkKey',
  KAP_VIEW_LINK_DAYS: 'viewLinkDays',
  KAP_PUBLIC_URL: 'publicUrl',
};

/** Environment variables of the `limits` section. */
const LIMITS_ENV_MAP: Record<string, keyof Limits> = {
  LIMIT_SESSIONS_PER_EPISODE: 'sessionsPerEpisode',
  LIMIT_VITALS_PER_SESSION: 'vitalsPerSession',
  LIMIT_SIDE_EFFECTS_PER_SESSION: 'sideEffectsPerSession',
  LIMIT_QUESTIONNAIRES_PER_EPISODE: 'questionnairesPerEpisode',
  LIMIT_RESOURCES_PER_REQUEST: 'resourcesPerRequest',
  LIMIT_SUMMARIES_PER_VERSION: 'summariesPerVersion',
};

/** Environment variables of the `jwt` section. */
const JWT_ENV_MAP: Record<string, string> = {
  KAP_JWKS_URL: 'jwksUrl',
  KAP_JWKS_FILE: 'jwksFile',
  KAP_JWT_ISSUER: 'issuer',
  KAP_JWT_AUDIENCE: 'audience',
  KAP_JWT_MAX_LIFETIME_SECONDS: 'maxLifetimeSeconds',
  KAP_JWT_CLOCK_TOLERANCE_SECONDS: 'clockToleranceSeconds',
};

/**
 * Reads the configuration from a file and the environment and validates it.
 * @param env - the environment (default `process.env`)
 * @param file - a JSON config file (default `env.KAP_CONFIG`)
 * @returns the validated configuration
 * @throws ConfigError with one readable line per problem
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file = env.KAP_CONFIG): ServiceConfig {
  let raw: Record<string, unknown> = {};
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(`config file ${file}: ${code ? `cannot be read (${code})` : 'is not valid JSON'}`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError(`config file ${file}: must hold a JSON object`);
    }
  }
  const merged: Record<string, unknown> = { ...raw };
  for (const [name, key] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      merged[key] = value;
    }
  }
  merged.redisUrlExplicit =
    Boolean(env.REDIS_URL) || Boolean(env.REDIS_CLUSTER_NODES) || raw.redisUrl !== undefined || raw.redisClusterNodes !== undefined;
  merged.production = env.NODE_ENV === 'production';
  if (env.KAP_SANDBOX !== undefined && env.KAP_SANDBOX !== '') {
    merged.sandbox = env.KAP_SANDBOX === '1' || env.KAP_SANDBOX === 'true';
  }
  const jwtEnv = Object.entries(JWT_ENV_MAP).filter(([name]) => env[name] !== undefined && env[name] !== '');
  if (jwtEnv.length > 0 || raw.jwt !== undefined) {
    // The environment completes (or overrides) a jwt section of the file, whichever carries the JWKS.
    merged.jwt = {
      ...((raw.jwt as object | undefined) ?? {}),
      ...Object.fromEntries(jwtEnv.map(([name, key]) => [key, env[name]])),
    };
  }
  const limitsEnv = Object.entries(LIMITS_ENV_MAP).filter(([name]) => env[name] !== undefined && env[name] !== '');
  if (limitsEnv.length > 0) {
    merged.limits = { ...((raw.limits as object | undefined) ?? {}), ...Object.fromEntries(limitsEnv.map(([name, key]) => [key, env[name]])) };
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const setting = i.path.map(String).join('.') || '(root)';
      const envName =
        Object.entries(ENV_MAP).find(([, k]) => k === i.path[0])?.[0] ??
        (i.path[0] === 'limits' ? Object.entries(LIMITS_ENV_MAP).find(([, k]) => k === i.path[1])?.[0] : undefined);
      const text = i.code === 'custom' || i.code === 'invalid_format' ? i.message : describe(i);
      return `  ${setting}${envName ? ` (env ${envName})` : ''}: ${text}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  try {
    config.redisPrefix = effectiveRedisPrefix(config);
  } catch (err) {
    if (err instanceof RedisEndpointError) {
      throw new ConfigError(`invalid configuration:\n  ${err.message}`);
    }
    throw err;
  }
  if (config.production) {
    const problems: string[] = [];
    if (!config.redisUrlExplicit) {
      problems.push('  REDIS_URL: must be set in production, or REDIS_CLUSTER_NODES (no embedded Redis)');
    }
    if (!config.encryptionKey) {
      problems.push('  KAP_ENCRYPTION_KEY: must be set in production (32 bytes, base64 or hex)');
    }
    if (config.clinics.length === 0) {
      problems.push('  clinics: at least one clinic must be configured in production (no demo clinic)');
    }
    if (config.sandbox) {
      problems.push('  KAP_SANDBOX: the sandbox EHR is not allowed in production');
    }
    if (!config.viewLinkKey) {
      problems.push('  KAP_VIEW_LINK_KEY: must be set in production (the secret of the prescriber view links, ≥ 32 characters)');
    }
    if (problems.length > 0) {
      throw new ConfigError(`NODE_ENV=production refuses the embedded defaults:\n${problems.join('\n')}`);
    }
  }
  if (config.encryptionKey) {
    parseEncryptionKey(config.encryptionKey);
  }
  config.encryptionKeysPrevious.forEach((k, i) => parseEncryptionKey(k, `encryptionKeysPrevious[${i}] (env KAP_ENCRYPTION_KEYS_PREVIOUS)`));
  return config;
}

function describe(i: z.core.$ZodIssue): string {
  switch (i.code) {
    case 'invalid_type':
      return `expected ${String(i.expected)}`;
    case 'too_small':
      return `below the minimum ${String(i.minimum)}`;
    case 'too_big':
      return `above the maximum ${String(i.maximum)}`;
    case 'unrecognized_keys':
      return `unknown setting(s) ${i.keys.join(', ')}`;
    default:
      return 'invalid value';
  }
}

/**
 * Decodes an AES-256 key given as 64 hex characters or base64 of 32 bytes.
 * @param text - the key
 * @param setting - the setting named by the error (never the value)
 * @throws ConfigError when it is not 32 bytes
 */
export function parseEncryptionKey(text: string, setting = 'encryptionKey (env KAP_ENCRYPTION_KEY)'): Buffer {
  const key = /^[a-fA-F0-9]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`invalid configuration:\n  ${setting}: must be 32 bytes, as 64 hex characters or base64`);
  }
  return key;
}
