/**
 * The answer to a request that arrives while the service starts: the port opens first, the app is
 * mounted when Redis, the sync engine and the routes are up. In between, Node's HTTP server would
 * hold a request with no `request` listener unanswered for good (a `/ready` sent during start-up
 * hung for more than four minutes); this answers it at once with 503, `Retry-After` and an
 * OperationOutcome, as `/ready` does when Redis or the profiles are missing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issue, outcome } from '../outcomes.js';

/** Seconds a client is asked to wait before retrying while the service starts. */
export const STARTING_RETRY_AFTER_SECONDS = 1;

const BODY = JSON.stringify(outcome([issue('error', 'transient', 'The service is starting: retry shortly')]));

/**
 * Answers any request with 503 while the service starts.
 * @param _req - the request (its body, if any, is discarded by Node once the response ends)
 * @param res - the response
 */
export function answerWhileStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'content-type': 'application/fhir+json; charset=utf-8',
    'content-length': Buffer.byteLength(BODY),
    'retry-after': String(STARTING_RETRY_AFTER_SECONDS),
    'cache-control': 'no-store',
  });
  res.end(BODY);
}
