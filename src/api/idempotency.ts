/**
 * `Idempotency-Key` on POST, kept in Redis per clinic for 24 h: the same key with the same body
 * gets the first answer again (status and body); the same key with another body → 409; a key
 * whose first request is still running → 409 as well. Only the key's hash and the body's hash
 * are stored, with the answer (ids and outcomes, never PHI). 5xx answers are not kept.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { httpError } from './http-outcomes.js';
import { context } from './request-context.js';

const TTL_SECONDS = 24 * 3600;
const PENDING_TTL_SECONDS = 60;

interface Entry {
  body: string;
  status?: number;
  type?: string;
  response?: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Middleware honouring `Idempotency-Key` on POST for the authenticated clinic. */
export function idempotency(redis: Redis, prefix: string) {
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
    const redisKey = `${prefix}:api:idem:${who}:${sha256(`${req.method} ${req.baseUrl}${req.path}|${key}`)}`;
    const bodyHash = sha256(JSON.stringify(req.body ?? null));
    const pending: Entry = { body: bodyHash };
    const created = await redis.set(redisKey, JSON.stringify(pending), 'EX', PENDING_TTL_SECONDS, 'NX');
    if (created !== 'OK') {
      const raw = await redis.get(redisKey);
      const entry = raw ? (JSON.parse(raw) as Entry) : undefined;
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
      const write =
        status >= 500
          ? redis.del(redisKey)
          : redis.set(redisKey, JSON.stringify(done), 'EX', TTL_SECONDS);
      write.catch(() => undefined);
      return send(body);
    };
    next();
  };
}
