/**
 * The prescriber's view links in Redis: a link opens the web view of ONE patient of ONE clinic until it expires or
 * the clinic revokes it, and every use of it (allowed or refused) is appended to the link's audit log.
 *
 * Keys (relative to the service prefix, as the API's other keys: `api:<family>:…`):
 * - `api:view-link:<linkId>` — hash: `scope` (clinic id + patient id, sealed at rest with AAD = this key without the
 *   prefix), `createdAt`, `expiresAt`, `revokedAt` (epoch ms, in clear), `signature`;
 * - `api:view-token:<signature>` — the link id; `signature` = HMAC-SHA256 of the token under `viewLinkKey`
 *   (link-token.ts): the token itself is never stored;
 * - `api:view-audit:<linkId>` — list of JSON entries (time, event, outcome, what was opened, request id; no PHI),
 *   the latest {@link AUDIT_MAX_ENTRIES}.
 * All three expire {@link RETENTION_DAYS} days after the link does, so a late use is still audited as `expired`
 * (afterwards it is an unknown token, logged without any id). Every access is also a log line (ids and outcome).
 */
import type { RedisClient } from '../../redis-client.js';
import type { AtRestCodec } from '../../crypto/at-rest-codec.js';
import type { SealedRecordFamily } from '../../crypto/rekey.js';
import { isLinkId, isWellFormedToken, newLinkId, newToken, tokenSignature } from './link-token.js';

const LINK = 'api:view-link:';
const TOKEN = 'api:view-token:';
const AUDIT = 'api:view-audit:';

/** Longest life of a link (days). */
export const MAX_LINK_DAYS = 30;
/** Days the link record and its audit log stay after the link expired. */
export const RETENTION_DAYS = 30;
/** Audit entries kept per link (the latest). */
export const AUDIT_MAX_ENTRIES = 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The sealed records of the store, for `kap-fhir rekey`: the `scope` field of each link hash. */
export const VIEW_LINK_RECORDS: SealedRecordFamily = { name: 'view links', match: `${LINK}*`, field: 'scope' };

/** Who a link is for: one patient of one clinic. */
export interface LinkScope {
  clinicId: string;
  /** The clinic's local patient id (`patient.id` of its episodes). */
  patientId: string;
}

/** A link as the clinic sees it (never the token, which only the creation answer carries). */
export interface ViewLink {
  linkId: string;
  /** ISO times. */
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

/** A new link: its id, its token (given out once) and its times. */
export interface CreatedLink extends ViewLink {
  token: string;
}

/** What was opened through a link. */
export type LinkResource = 'view' | 'pdf';

/** The outcome of presenting a token. */
export type LinkOutcome = 'allowed' | 'expired' | 'revoked' | 'unknown';

/** One audit entry (no PHI: ids, time, outcome). */
export interface AuditEntry {
  at: string;
  event: 'created' | 'access' | 'revoked';
  linkId: string;
  outcome?: Exclude<LinkOutcome, 'unknown'>;
  resource?: LinkResource;
  /** The document opened, for `pdf`: `<episodeId>/<sessionId>` (session summary), `<episodeId>/<sessionId>/rems` (REMS record), `<episodeId>/summary` (episode summary). */
  document?: string;
  requestId?: string;
  /** Who acted: `clinic` (API), `prescriber-delivery` (the sync), `link` (the holder of the link). */
  by: 'clinic' | 'prescriber-delivery' | 'link';
}

/** The result of presenting a token. */
export type Resolution =
  | { outcome: 'allowed'; linkId: string; scope: LinkScope; expiresAt: string }
  | { outcome: Exclude<LinkOutcome, 'allowed'>; linkId?: string };

/** Options of the store. */
export interface LinkStoreOptions {
  redis: RedisClient;
  prefix: string;
  codec: AtRestCodec;
  /** The view-link secret (HMAC key of the tokens). */
  secret: string;
  /** The clock (tests). */
  now?: () => number;
}

/** The view links of every clinic. */
export class ViewLinkStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly codec: AtRestCodec;
  private readonly secret: string;
  private readonly now: () => number;

  constructor(options: LinkStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.codec = options.codec;
    this.secret = options.secret;
    this.now = options.now ?? Date.now;
  }

  private key(relative: string): string {
    return `${this.prefix}:${relative}`;
  }

  /**
   * Creates a link for one patient of one clinic.
   * @param scope - the clinic and its patient (the caller has checked the patient is the clinic's)
   * @param days - life in days, 1 to {@link MAX_LINK_DAYS}
   * @param by - who asks (audited)
   * @param requestId - the request (audited)
   */
  async create(scope: LinkScope, days: number, by: AuditEntry['by'], requestId?: string): Promise<CreatedLink> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
      throw new RangeError(`link life must be 1 to ${MAX_LINK_DAYS} days`);
    }
    const linkId = newLinkId();
    const token = newToken();
    const signature = tokenSignature(this.secret, token);
    const created = this.now();
    const expires = created + days * DAY_MS;
    const keep = expires + RETENTION_DAYS * DAY_MS;
    const scopeText = this.codec.seal(JSON.stringify({ clinicId: scope.clinicId, patientId: scope.patientId }), `${LINK}${linkId}`);
    const entry: AuditEntry = { at: new Date(created).toISOString(), event: 'created', linkId, by, ...(requestId ? { requestId } : {}) };
    await this.redis
      .multi()
      .hset(this.key(`${LINK}${linkId}`), { scope: scopeText, createdAt: String(created), expiresAt: String(expires), signature })
      .pexpireat(this.key(`${LINK}${linkId}`), keep)
      .set(this.key(`${TOKEN}${signature}`), linkId, 'PXAT', keep)
      .rpush(this.key(`${AUDIT}${linkId}`), JSON.stringify(entry))
      .pexpireat(this.key(`${AUDIT}${linkId}`), keep)
      .exec();
    return { linkId, token, createdAt: iso(created), expiresAt: iso(expires) };
  }

  /** The link's record when it exists (within its retention). */
  private async read(linkId: string): Promise<(ViewLink & { scope: LinkScope; expires: number; revoked?: number }) | undefined> {
    if (!isLinkId(linkId)) {
      return undefined;
    }
    const [scope, createdAt, expiresAt, revokedAt] = await this.redis.hmget(this.key(`${LINK}${linkId}`), 'scope', 'createdAt', 'expiresAt', 'revokedAt');
    if (!scope || !createdAt || !expiresAt) {
      return undefined;
    }
    return {
      linkId,
      scope: JSON.parse(this.codec.open(scope, `${LINK}${linkId}`)) as LinkScope,
      createdAt: iso(Number(createdAt)),
      expiresAt: iso(Number(expiresAt)),
      expires: Number(expiresAt),
      ...(revokedAt ? { revokedAt: iso(Number(revokedAt)), revoked: Number(revokedAt) } : {}),
    };
  }

  /**
   * The link of a clinic, or undefined when it does not exist or belongs to another clinic (the two are not told
   * apart).
   */
  async get(clinicId: string, linkId: string): Promise<ViewLink | undefined> {
    const link = await this.read(linkId);
    if (!link || link.scope.clinicId !== clinicId) {
      return undefined;
    }
    return { linkId, createdAt: link.createdAt, expiresAt: link.expiresAt, ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}) };
  }

  /**
   * Revokes a link of a clinic (again: nothing changes).
   * @returns the link, or undefined when it is not the clinic's
   */
  async revoke(clinicId: string, linkId: string, requestId?: string): Promise<ViewLink | undefined> {
    const link = await this.get(clinicId, linkId);
    if (!link) {
      return undefined;
    }
    if (link.revokedAt) {
      return link;
    }
    const at = this.now();
    const set = await this.redis.hsetnx(this.key(`${LINK}${linkId}`), 'revokedAt', String(at));
    if (set === 1) {
      await this.append({ at: iso(at), event: 'revoked', linkId, by: 'clinic', ...(requestId ? { requestId } : {}) }, Date.parse(link.expiresAt));
    }
    return (await this.get(clinicId, linkId)) ?? link;
  }

  /**
   * Presents a token: allowed (with the scope), expired, revoked or unknown. Every outcome of a known link is
   * appended to its audit log.
   * @param token - the token of the URL
   * @param access - what is opened and the request id
   */
  async resolve(token: string, access: { resource: LinkResource; document?: string; requestId?: string }): Promise<Resolution> {
    if (!isWellFormedToken(token)) {
      return { outcome: 'unknown' };
    }
    const linkId = await this.redis.get(this.key(`${TOKEN}${tokenSignature(this.secret, token)}`));
    const link = linkId ? await this.read(linkId) : undefined;
    if (!linkId || !link) {
      return { outcome: 'unknown' };
    }
    const now = this.now();
    const outcome = link.revoked !== undefined ? 'revoked' : now >= link.expires ? 'expired' : 'allowed';
    await this.append({
      at: iso(now),
      event: 'access',
      linkId,
      outcome,
      resource: access.resource,
      ...(access.document ? { document: access.document } : {}),
      ...(access.requestId ? { requestId: access.requestId } : {}),
      by: 'link',
    }, link.expires);
    return outcome === 'allowed' ? { outcome, linkId, scope: link.scope, expiresAt: link.expiresAt } : { outcome, linkId };
  }

  /** The audit log of a clinic's link, oldest first, or undefined when the link is not the clinic's. */
  async audit(clinicId: string, linkId: string): Promise<AuditEntry[] | undefined> {
    if (!(await this.get(clinicId, linkId))) {
      return undefined;
    }
    const raw = await this.redis.lrange(this.key(`${AUDIT}${linkId}`), 0, -1);
    return raw.map((r) => JSON.parse(r) as AuditEntry);
  }

  /** Appends an entry (the latest {@link AUDIT_MAX_ENTRIES} are kept), the list expiring with the link record. */
  private async append(entry: AuditEntry, linkExpires: number): Promise<void> {
    const key = this.key(`${AUDIT}${entry.linkId}`);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(entry))
      .ltrim(key, -AUDIT_MAX_ENTRIES, -1)
      .pexpireat(key, linkExpires + RETENTION_DAYS * DAY_MS)
      .exec();
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
