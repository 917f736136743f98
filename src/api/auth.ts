/**
 * Authentication and tenancy: `Authorization: Bearer <key>` with a clinic's API key (kept only
 * as its SHA-256 hash; several per clinic for rotation) or an operator's key (admin role), or a
 * JWT verified against a configured JWKS carrying the clinic id (and optionally an `admin` role).
 * `/admin/queues` also takes HTTP Basic with the key as password, so a browser can open it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { log } from '../log.js';
import type { ServiceConfig } from '../server/config.js';
import { httpError } from './http-outcomes.js';
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
  const jwt = config.jwt ? jwtVerifier(config.jwt) : undefined;
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

function jwtVerifier(cfg: JwtConfig): (token: string) => Promise<Caller | undefined> {
  let keySet: JWTVerifyGetKey;
  if (cfg.jwksFile) {
    keySet = createLocalJWKSet(JSON.parse(readFileSync(cfg.jwksFile, 'utf8')));
  } else {
    keySet = createRemoteJWKSet(new URL(cfg.jwksUrl as string));
  }
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: cfg.issuer,
        audience: cfg.audience,
      });
      const clinic = payload[cfg.clinicClaim];
      const rolesClaim = payload[cfg.rolesClaim];
      const roles = Array.isArray(rolesClaim) ? rolesClaim : typeof rolesClaim === 'string' ? rolesClaim.split(' ') : [];
      const admin = roles.includes('admin');
      if (typeof clinic !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(clinic)) {
        return admin ? { admin, method: 'jwt' } : undefined;
      }
      return { clinicId: clinic, admin, method: 'jwt' };
    } catch (err) {
      log.debug({ code: (err as { code?: string }).code ?? 'ERR_JWT' }, 'jwt rejected');
      return undefined;
    }
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
