/**
 * The tokens of the prescriber's view links (`/view/<token>`): 32 random bytes (256 bits) in base64url, opaque —
 * no patient id, no clinic id, nothing derived from the record. The link store never keeps a token: it keys the
 * link by the token's HMAC-SHA256 under the service's view-link secret (`viewLinkKey`), so a copy of Redis gives no
 * usable link and a Redis writer without the secret cannot mint one.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Random bytes in a token (256 bits). */
export const TOKEN_BYTES = 32;
/** A well-formed token: 43 base64url characters (32 bytes, no padding). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Development-only secret, used outside production when `viewLinkKey` is not configured (production refuses to
 * start without it: src/config/service-config.ts).
 */
export const DEVELOPMENT_VIEW_LINK_KEY = 'kap-fhir development view-link secret (never in production)';

/** A fresh random token. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** A fresh link id (what the clinic revokes and audits by): 128 random bits, `vl-` + 32 hex digits. */
export function newLinkId(): string {
  return `vl-${randomBytes(16).toString('hex')}`;
}

/** True when `text` has the shape of a link id (checked before it names a Redis key). */
export function isLinkId(text: string): boolean {
  return /^vl-[a-f0-9]{32}$/.test(text);
}

/** True when `text` has the shape of a token (anything else is refused without a Redis read). */
export function isWellFormedToken(text: string): boolean {
  return TOKEN.test(text);
}

/**
 * The token's signature: HMAC-SHA256 under the view-link secret, hex. The store's key for the token.
 * @param secret - the view-link secret
 * @param token - the token
 */
export function tokenSignature(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('hex');
}
