/**
 * The one error handler: an OperationOutcomeError becomes its outcome with `getStatus()`; body
 * parser errors become 400/413/415; anything else a 500 with fixed text and an error id (the
 * error itself is logged by name and id only, never its message, which may echo input).
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { log } from '../log.js';
import { badRequest, getStatus, issue, OperationOutcomeError, outcome, validationError } from '../outcomes.js';
import { httpError, httpOutcome } from '../http-outcomes.js';
import { context } from './request-context.js';

/** Sends an OperationOutcome with the FHIR JSON media type. */
export function sendOutcome(res: Response, status: number, body: OperationOutcome): void {
  res.status(status).type('application/fhir+json').send(JSON.stringify(body));
}

/** Unknown routes: 404 OperationOutcome. */
export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(httpError(404, 'not-found', 'Unknown route'));
}

interface HttpError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Express error middleware (four arguments). */
export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof OperationOutcomeError) {
    const status = getStatus(err.outcome);
    sendOutcome(res, status, err.outcome);
    return;
  }
  const e = err as HttpError;
  const status = e?.status ?? e?.statusCode;
  if (e?.type === 'entity.too.large') {
    sendOutcome(res, 413, httpOutcome(413, [issue('error', 'too-costly', 'Request body is larger than the limit')]));
    return;
  }
  if (e?.type === 'entity.parse.failed') {
    sendOutcome(res, 400, validationError('Request body is not valid JSON'));
    return;
  }
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    sendOutcome(res, 415, httpOutcome(415, [issue('error', 'not-supported', 'Unsupported body encoding')]));
    return;
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose) {
    sendOutcome(res, status, badRequest('Bad request'));
    return;
  }
  const errorId = randomUUID();
  log.error(
    { requestId: context(res).requestId, errorId, errorName: (err as Error)?.name ?? typeof err },
    'unhandled error'
  );
  if (process.env.KAP_DEBUG_ERRORS === '1') {
    // Stack only (file positions), for a developer's terminal; never sent to the client.
    process.stderr.write(`${(err as Error)?.stack?.split('\n').slice(1).join('\n') ?? ''}\n`);
  }
  sendOutcome(res, 500, outcome([issue('error', 'exception', `Internal error (error id ${errorId})`)]));
}
