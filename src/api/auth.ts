/**
 * Authentication and tenancy: `Authorization: Bearer <key>` with a clinic's API key (kept only
 * as its SHA-256 hash; several per clinic for rotation) or an operator's key (admin role), or a
 * JWT verified against a configured JWKS carrying the clinic id (and optionally an `admin` role).
 * `/admin/queues` also takes HTTP Basic with the key as password, so a browser can open it.
 *
 * JWT rules: issuer and audience are required (configuration); `exp` is required and the token may
 * live at most `jwt.maxLifetimeSeconds` (exp − iat, or exp − now without iat; an iat in the future
 * is refused); `jwt.clockToleranceSeconds` of clock difference is allowed; a clinic claim, when
 * present, must name a configured clinic (any other token is a 401, whatever its roles).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { log } from '../log.js';
import { ConfigError, type ServiceConfig } from '../config/service-config.js';
import { httpError } from '../http-outcomes.js';
import { context, type Caller } from './request-context.js';

/** SHA-256 hex digest of an API key, as stored in the configuration. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The 401 outcome (with the FHIR `login` code). */
export function unauthenticated(): Error {
  return httpError(401, 'login', 'Authentication required');
}

/** Resolves credentials to a caller. */
export interface Authenticator {
  authenticate(req: Request): Promise<Caller | undefined>;
}

/** JWT settings (see ServiceConfig.jwt). */
type JwtConfig = NonNullable<ServiceConfig['jwt']>;

/** Default longest JWT lifetime (`jwt.maxLifetimeSeconds`). */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 3600;
/** Default clock tolerance on JWT time claims (`jwt.clockToleranceSeconds`). */
export const DEFAULT_JWT_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Builds the authenticator from the clinics' key hashes, the admin key hashes and the JWT settings.
 * @param config - clinics, adminApiKeySha256 and jwt of the service configuration
 */
export function createAuthenticator(
  config: Pick<ServiceConfig, 'clinics' | 'adminApiKeySha256' | 'jwt'>
): Authenticator {
  const keys = new Map<string, Caller>();
  for (const clinic of config.clinics) {
    for (const hash of clinic.apiKeySha256) {
      keys.set(hash, { clinicId: clinic.id, admin: false, method: 'api-key' });
    }
  }
  for (const hash of config.adminApiKeySha256) {
    keys.set(hash, { admin: true, method: 'api-key' });
  }
  const jwt = config.jwt ? jwtVerifier(config.jwt, new Set(config.clinics.map((c) => c.id))) : undefined;
  return {
    async authenticate(req) {
      const token = credential(req);
      if (!token) {
        return undefined;
      }
      const byKey = keys.get(hashApiKey(token));
      if (byKey) {
        return byKey;
      }
      if (jwt && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
        return jwt(token);
      }
      return undefined;
    },
  };
}

function credential(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) {
    return undefined;
  }
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && value) {
    return value.trim();
  }
  if (scheme?.toLowerCase() === 'basic' && value && req.originalUrl.startsWith('/admin/queues')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/**
 * Why a verified token's lifetime is refused, or undefined when it is within the limits.
 * @param payload - the verified claims (`exp` present)
 * @param maxLifetimeSeconds - longest allowed exp − iat (exp − now without iat)
 * @param toleranceSeconds - allowed clock difference
 * @param nowSeconds - the current time
 */
export function jwtLifetimeProblem(
  payload: { exp?: number; iat?: number },
  maxLifetimeSeconds: number,
  toleranceSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000)
): string | undefined {
  if (typeof payload.exp !== 'number') {
    return 'exp-missing';
  }
  if (typeof payload.iat === 'number' && payload.iat > nowSeconds + toleranceSeconds) {
    return 'iat-in-future';
  }
  const lifetime = typeof payload.iat === 'number' ? payload.exp - payload.iat : payload.exp - nowSeconds - toleranceSeconds;
  return lifetime > maxLifetimeSeconds ? 'lifetime-too-long' : undefined;
}

/** The issuer and audience, which must be set whenever JWT is (ConfigError otherwise). */
function requiredIssuerAudience(cfg: JwtConfig): { issuer: string; audience: string } {
  const missing = (['issuer', 'audience'] as const).filter((k) => !cfg[k]);
  if (missing.length > 0) {
    const env = { issuer: 'KAP_JWT_ISSUER', audience: 'KAP_JWT_AUDIENCE' };
    throw new ConfigError(`invalid configuration:\n${missing.map((k) => `  jwt.${k}: required whenever JWT is configured (env ${env[k]})`).join('\n')}`);
  }
  return { issuer: cfg.issuer as string, audience: cfg.audience as string };
}

function jwtVerifier(cfg: JwtConfig, clinicIds: ReadonlySet<string>): (token: string) => Promise<Caller | undefined> {
  const { issuer, audience } = requiredIssuerAudience(cfg);
  const maxLifetime = cfg.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS;
  const tolerance = cfg.clockToleranceSeconds ?? DEFAULT_JWT_CLOCK_TOLERANCE_SECONDS;
  let keySet: JWTVerifyGetKey;
  if (cfg.jwksFile) {
    keySet = createLocalJWKSet(JSON.parse(readFileSync(cfg.jwksFile, 'utf8')));
  } else {
    keySet = createRemoteJWKSet(new URL(cfg.jwksUrl as string));
  }
  const refuse = (code: string): undefined => {
    log.debug({ code }, 'jwt rejected');
    return undefined;
  };
  return async (token) => {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keySet, { issuer, audience, requiredClaims: ['exp'], clockTolerance: tolerance }));
    } catch (err) {
      return refuse((err as { code?: string }).code ?? 'ERR_JWT');
    }
    const lifetime = jwtLifetimeProblem(payload, maxLifetime, tolerance);
    if (lifetime) {
      return refuse(lifetime);
    }
    const rolesClaim = payload[cfg.rolesClaim];
    const roles = Array.isArray(rolesClaim) ? rolesClaim : typeof rolesClaim === 'string' ? rolesClaim.split(' ') : [];
    const admin = roles.includes('admin');
    const clinic = payload[cfg.clinicClaim];
    if (clinic === undefined) {
      return admin ? { admin, method: 'jwt' } : refuse('no-clinic');
    }
    // Only a configured clinic is a tenant: any other id would be accepted, stored and never delivered.
    if (typeof clinic !== 'string' || !clinicIds.has(clinic)) {
      return refuse('unknown-clinic');
    }
    return { clinicId: clinic, admin, method: 'jwt' };
  };
}

/**
 * Middleware: authenticates, or answers 401. Browsers on `/admin/queues` get a Basic challenge.
 */
export function requireAuth(auth: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const c = await auth.authenticate(req);
    if (!c) {
      log.debug({ requestId: context(res).requestId, credential: req.get('authorization') ? 'rejected' : 'missing' }, 'authentication failed');
      if (req.originalUrl.startsWith('/admin/queues')) {
        res.setHeader('WWW-Authenticate', 'Basic realm="kap-fhir admin", charset="UTF-8"');
      } else {
        res.setHeader('WWW-Authenticate', 'Bearer');
      }
      throw unauthenticated();
    }
    context(res).caller = c;
    next();
  };
}

/** Middleware: the caller must have the admin role (403 otherwise). */
export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (!context(res).caller?.admin) {
    throw httpError(403, 'forbidden', 'This route needs the admin role');
  }
  next();
}

/** Middleware: the caller must act for a clinic (an admin key without a clinic cannot submit). */
export function requireClinic(_req: Request, res: Response, next: NextFunction): void {
  if (!context(res).caller?.clinicId) {
    throw httpError(403, 'forbidden', 'This route needs a clinic credential');
  }
  next();
}
