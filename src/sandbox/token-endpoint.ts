/**
 * A test OAuth2 token endpoint: client_credentials with a client secret (client_secret_basic /
 * client_secret_post) or a SMART Backend Services `private_key_jwt` assertion
 * (https://hl7.org/fhir/smart-app-launch/backend-services.html): signature checked against the
 * client's registered JWKS, `iss` = `sub` = client_id, `aud` = this endpoint's URL, `exp` present
 * and at most 5 minutes ahead, `jti` never seen before. Issues opaque bearer tokens.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';

/** A registered client: a secret, a JWKS (SMART), or both. */
export interface SandboxClient {
  clientId: string;
  secret?: string;
  jwks?: JSONWebKeySet;
  /** Scopes granted (space separated); all requested ones when omitted. */
  scope?: string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_ASSERTION_LIFETIME_S = 300;

/** Clients, issued tokens and seen assertion ids. */
export class TokenIssuer {
  readonly clients = new Map<string, SandboxClient>();
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly seenJti = new Set<string>();
  /** Lifetime of issued tokens. */
  tokenTtlSeconds = 300;
  /** Number of tokens issued (tests count refreshes with it). */
  issued = 0;
  /** Refusals by reason code (tests assert on them). */
  readonly refusals: string[] = [];

  /** Registers (or replaces) a client. */
  register(client: SandboxClient): void {
    this.clients.set(client.clientId, client);
  }

  /** Revokes every issued token (the next FHIR call gets a 401). */
  revokeAll(): void {
    this.tokens.clear();
  }

  /**
   * Checks a bearer token.
   * @param header - the Authorization header
   * @returns true when the token is known and not expired
   */
  check(header: string | undefined): boolean {
    const m = /^Bearer (.+)$/i.exec(header ?? '');
    const t = m ? this.tokens.get(m[1]) : undefined;
    return !!t && t.expiresAt > Date.now();
  }

  /**
   * The client a bearer token was issued to.
   * @param header - the Authorization header
   * @returns the client id, when the token is known and not expired
   */
  clientOf(header: string | undefined): string | undefined {
    const m = /^Bearer (.+)$/i.exec(header ?? '');
    const t = m ? this.tokens.get(m[1]) : undefined;
    return t && t.expiresAt > Date.now() ? t.clientId : undefined;
  }

  /** The express handler of `POST <base>/_auth/token`. */
  handler = async (req: Request, res: Response): Promise<void> => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const refuse = (code: string, status = 401): void => {
      this.refusals.push(code);
      res.status(status).json({ error: status === 400 ? 'invalid_request' : 'invalid_client', error_description: code });
    };
    if (body.grant_type !== 'client_credentials') {
      refuse('unsupported-grant-type', 400);
      return;
    }
    let clientId: string | undefined;
    if (body.client_assertion_type === ASSERTION_TYPE && body.client_assertion) {
      const audience = `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}`;
      const result = await this.verifyAssertion(body.client_assertion, audience);
      if (!result.ok) {
        refuse(result.reason);
        return;
      }
      clientId = result.clientId;
    } else {
      const basic = /^Basic (.+)$/i.exec(req.get('authorization') ?? '');
      let id = body.client_id;
      let secret = body.client_secret;
      if (basic) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
      const client = id ? this.clients.get(id) : undefined;
      if (!client?.secret || !secret || !safeEqual(client.secret, secret)) {
        refuse('bad-client-secret');
        return;
      }
      clientId = client.clientId;
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    this.issued++;
    const client = this.clients.get(clientId);
    res.json({
      access_token: token,
      token_type: 'bearer',
      expires_in: this.tokenTtlSeconds,
      scope: client?.scope ?? body.scope ?? 'system/*.write',
    });
  };

  private async verifyAssertion(
    assertion: string,
    audience: string
  ): Promise<{ ok: true; clientId: string } | { ok: false; reason: string }> {
    let iss: string | undefined;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      return { ok: false, reason: 'malformed-assertion' };
    }
    const client = iss ? this.clients.get(iss) : undefined;
    if (!client?.jwks) {
      return { ok: false, reason: 'unknown-client' };
    }
    try {
      const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
        issuer: client.clientId,
        subject: client.clientId,
        audience,
        algorithms: ['RS384', 'ES384'],
        requiredClaims: ['exp', 'jti'],
      });
      const now = Math.floor(Date.now() / 1000);
      if ((payload.exp ?? 0) - now > MAX_ASSERTION_LIFETIME_S) {
        return { ok: false, reason: 'assertion-lifetime-too-long' };
      }
      const jti = `${client.clientId}|${String(payload.jti)}`;
      if (this.seenJti.has(jti)) {
        return { ok: false, reason: 'assertion-replayed' };
      }
      this.seenJti.add(jti);
      return { ok: true, clientId: client.clientId };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'invalid-assertion';
      return { ok: false, reason: code };
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
