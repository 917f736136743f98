/**
 * Per-request context kept on `res.locals`: the request id and, once authenticated, the caller.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Who is calling: a clinic (scoped to its own data) or an operator (admin role). */
export interface Caller {
  /** The clinic the caller acts for; undefined for an admin key without a clinic. */
  clinicId?: string;
  admin: boolean;
  /** How the caller authenticated. */
  method: 'api-key' | 'jwt';
}

interface Locals {
  requestId: string;
  caller?: Caller;
  route?: string;
  started: bigint;
}

const REQUEST_ID = /^[A-Za-z0-9._\-]{1,128}$/;

/** The request's context. */
export function context(res: Response): Locals {
  return res.locals as Locals;
}

/** The authenticated caller; throws when the route was mounted without authentication. */
export function caller(res: Response): Caller {
  const c = context(res).caller;
  if (!c) {
    throw new Error('route used without authentication');
  }
  return c;
}

/**
 * Takes `X-Request-Id` from the request when it is a plain token (else makes a UUID), echoes it
 * on the response and keeps it for logs and jobs.
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  const id = given && REQUEST_ID.test(given) ? given : randomUUID();
  const locals = context(res);
  locals.requestId = id;
  locals.started = process.hrtime.bigint();
  res.setHeader('X-Request-Id', id);
  next();
}
