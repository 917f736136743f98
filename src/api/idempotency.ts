/**
 * `Idempotency-Key` on POST, kept in Redis per clinic for 24 h: the same key with the same body
 * gets the first answer again (status and body); the same key with another body → 409; a key
 * whose first request is still running → 409 as well. Bodies are compared as canonical JSON (keys
 * sorted), so the same JSON with its keys in another order is the same body. Only a 2xx/3xx answer
 * is kept: after a 4xx or 5xx the key is free again, for the corrected request. The key is stored as
 * a hash; the record (the body's hash and the answer: ids and outcomes) is sealed at rest.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RedisClient } from '../redis-client.js';
import type { AtRestCodec } from '../crypto/at-rest-codec.js';
import type { SealedRecordFamily } from '../crypto/rekey.js';
import { canonicalHash } from '../canonical-json.js';
import { httpError } from '../http-outcomes.js';
import { context } from './request-context.js';

const TTL_SECONDS = 24 * 3600;
const PENDING_TTL_SECONDS = 60;
const FAMILY = 'api:idem:';

/** The sealed records of the middleware, for `kap-fhir rekey` (records written in clear before are read and sealed). */
export const IDEMPOTENCY_RECORDS: SealedRecordFamily = { name: 'idempotency records', match: `${FAMILY}*`, clearAllowed: true };

interface Entry {
  body: string;
  status?: number;
  type?: string;
  response?: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Middleware honouring `Idempotency-Key` on POST for the authenticated clinic.
 * @param redis - the API's Redis
 * @param prefix - the key prefix
 * @param codec - seals the records at rest
 */
export function idempotency(redis: RedisClient, prefix: string, codec: AtRestCodec) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) {
      next();
      return;
    }
    if (key.length > 255) {
      throw httpError(400, 'invalid', 'Idempotency-Key is longer than 255 characters', 'Idempotency-Key');
    }
    const who = context(res).caller?.clinicId ?? '_admin';
    const record = `${FAMILY}${who}:${sha256(`${req.method} ${req.baseUrl}${req.path}|${key}`)}`;
    const redisKey = `${prefix}:${record}`;
    const bodyHash = canonicalHash(req.body ?? null);
    const seal = (entry: Entry): string => codec.seal(JSON.stringify(entry), record);
    const created = await redis.set(redisKey, seal({ body: bodyHash }), 'EX', PENDING_TTL_SECONDS, 'NX');
    if (created !== 'OK') {
      const raw = await redis.get(redisKey);
      const entry = raw ? (JSON.parse(codec.open(raw, record, { allowClear: true })) as Entry) : undefined;
      if (!entry || entry.body !== bodyHash) {
        throw httpError(409, 'conflict', 'Idempotency-Key was already used with another request body', 'Idempotency-Key');
      }
      if (entry.status === undefined || entry.response === undefined) {
        throw httpError(409, 'conflict', 'A request with this Idempotency-Key is still in progress', 'Idempotency-Key');
      }
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(entry.status).type(entry.type ?? 'application/json').send(entry.response);
      return;
    }
    // Capture the answer as it is sent.
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      const status = res.statusCode;
      const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
      const done: Entry = { body: bodyHash, status, type: String(res.getHeader('content-type') ?? ''), response: text };
      // A refusal (4xx) or a failure (5xx) is not kept: the client may send the corrected request under the same key.
      const write = status >= 400 ? redis.del(redisKey) : redis.set(redisKey, seal(done), 'EX', TTL_SECONDS);
      write.catch(() => undefined);
      return send(body);
    };
    next();
  };
}
