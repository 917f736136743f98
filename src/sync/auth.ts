/**
 * Access tokens per target: static bearer, OAuth2 client credentials (client_secret_basic /
 * client_secret_post, RFC 6749 §4.4) and SMART Backend Services (client_credentials with a
 * `private_key_jwt` assertion signed RS384 or ES384:
 * https://hl7.org/fhir/smart-app-launch/backend-services.html). Tokens are cached until 30 s
 * before they expire; `invalidate()` (after a 401) forces a new one. Checked against a real
 * authorization server (Medplum, test/real-ehr/auth.real.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { TargetAuth } from './config.js';
import { DeliveryError, rateLimitReset, targetHttpError } from './errors.js';

const EXPIRY_MARGIN_MS = 30_000;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** System of the OAuth2 `error` code (RFC 6749 §5.2) kept in a refused token request's OperationOutcome. */
export const OAUTH_ERROR_SYSTEM = 'urn:ietf:rfc:6749';

/** An OAuth2 error code as an OperationOutcome (only the code: `error_description` may echo values). */
function oauthOutcome(error: unknown): OperationOutcome | undefined {
  if (typeof error !== 'string' || !/^[a-z_]{1,64}$/.test(error)) {
    return undefined;
  }
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', details: { coding: [{ system: OAUTH_ERROR_SYSTEM, code: error }] } }] };
}

/** Gives the Authorization header value for a target. */
export class TokenProvider {
  private cached?: { token: string; expiresAt: number };
  private pending?: Promise<string>;
  private key?: Promise<CryptoKey | Uint8Array>;
  /** Tokens fetched from the token endpoint so far. */
  fetched = 0;

  private readonly auth: TargetAuth;
  private readonly timeoutMs: number;

  constructor(auth: TargetAuth, timeoutMs: number) {
    this.auth = auth;
    this.timeoutMs = timeoutMs;
  }

  /**
   * The Authorization header, fetching a token when none is cached.
   * @returns the header value, or undefined for `none`
   */
  async header(): Promise<string | undefined> {
    switch (this.auth.type) {
      case 'none':
        return undefined;
      case 'bearer':
        return `Bearer ${this.auth.token}`;
      default:
        return `Bearer ${await this.token()}`;
    }
  }

  /**
   * Forgets the cached token (call after a 401).
   * @param rejected - the Authorization header value the 401 answered. When given and the cached token
   *   is another one (a request in flight with it already got its 401 and fetched a new token), the new
   *   token is kept: N requests refused together fetch one token, not N (token endpoints are rate-limited:
   *   Medplum allows 160 token requests per minute per IP).
   */
  invalidate(rejected?: string): void {
    if (rejected !== undefined && this.cached && `Bearer ${this.cached.token}` !== rejected) {
      return;
    }
    this.cached = undefined;
  }

  /** True when a new token can be fetched (a 401 is then worth one more try). */
  canRefresh(): boolean {
    return this.auth.type === 'client-credentials' || this.auth.type === 'smart-backend';
  }

  private async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) {
      return this.cached.token;
    }
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const auth = this.auth;
    if (auth.type !== 'client-credentials' && auth.type !== 'smart-backend') {
      throw new Error('no token endpoint');
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (auth.type === 'client-credentials') {
      if (auth.scope) {
        form.set('scope', auth.scope);
      }
      if (auth.method === 'client_secret_basic') {
        const basic = `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`;
        headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
      } else {
        form.set('client_id', auth.clientId);
        form.set('client_secret', auth.clientSecret);
      }
    } else {
      form.set('scope', auth.scope);
      form.set('client_assertion_type', ASSERTION_TYPE);
      form.set('client_assertion', await this.assertion(auth));
    }
    let res: Response;
    try {
      res = await fetch(auth.tokenUrl, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const name = (err as { name?: string }).name;
      throw new DeliveryError('retry', name === 'TimeoutError' ? 'token-timeout' : 'token-network');
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: unknown };
    if (!res.ok || !body.access_token) {
      const retryAfter = res.headers.get('retry-after') ?? (res.status === 429 ? rateLimitReset(res.headers.get('ratelimit')) : undefined);
      const e = targetHttpError(res.ok ? 502 : res.status, undefined, retryAfter);
      // A refused client is a configuration problem: dead-letter it (401/400 are "rejected"), with the
      // OAuth2 error code (invalid_client, invalid_scope, …) when the server gave one.
      throw new DeliveryError(e.kind, `token-${e.code}`, { status: e.status, retryAfterMs: e.retryAfterMs, outcome: oauthOutcome(body.error) });
    }
    this.fetched++;
    this.cached = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 };
    return body.access_token;
  }

  private async assertion(auth: Extract<TargetAuth, { type: 'smart-backend' }>): Promise<string> {
    this.key ??= auth.privateKey.trim().startsWith('{')
      ? importJWK(JSON.parse(auth.privateKey) as JWK, auth.alg)
      : importPKCS8(auth.privateKey, auth.alg);
    const key = await this.key;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: auth.alg, typ: 'JWT', ...(auth.kid ? { kid: auth.kid } : {}) })
      .setIssuer(auth.clientId)
      .setSubject(auth.clientId)
      .setAudience(auth.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomUUID())
      .sign(key);
  }
}
