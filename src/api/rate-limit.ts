/**
 * Per-clinic rate limit kept in Redis (a fixed window counted with one Lua call), so it holds
 * across API instances. Over the limit → 429 with `Retry-After` (seconds to the window's end).
 */
import type { NextFunction, Request, Response } from 'express';
import type { RedisClient } from '../redis-client.js';
import { httpError } from '../http-outcomes.js';
import { context } from './request-context.js';

const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { n, redis.call('PTTL', KEYS[1]) }
`;

/** Rate limit settings. */
export interface RateLimitOptions {
  redis: RedisClient;
  prefix: string;
  /** Requests per window per clinic; 0 disables. */
  limit: number;
  windowSeconds: number;
}

/** Middleware counting the authenticated caller's requests. */
export function rateLimit(options: RateLimitOptions) {
  const { redis, prefix, limit, windowSeconds } = options;
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (limit <= 0) {
      next();
      return;
    }
    const c = context(res).caller;
    const who = c?.clinicId ?? (c?.admin ? '_admin' : '_anon');
    const key = `${prefix}:api:rate:${who}`;
    const [count, ttl] = (await redis.eval(SCRIPT, 1, key, String(windowSeconds * 1000))) as [number, number];
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
    if (count > limit) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((ttl > 0 ? ttl : windowSeconds * 1000) / 1000))));
      throw httpError(429, 'throttled', 'Rate limit exceeded for this clinic');
    }
    next();
  };
}
