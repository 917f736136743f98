/**
 * Delivery errors, classified once: what the queues retry (network errors, timeouts, 408, 5xx),
 * what they rate-limit (429 with Retry-After) and what goes to the dead letters (other 4xx, with
 * the target's OperationOutcome). Messages are fixed text: never a URL (it holds identifiers) or a value.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { isOperationOutcome } from '../outcomes.js';
import type { RefusedEntry } from './entry-outcome.js';

/** How a failed delivery is handled. */
export type DeliveryErrorKind = 'retry' | 'rate-limited' | 'rejected';

/** A failed delivery. */
export class DeliveryError extends Error {
  readonly kind: DeliveryErrorKind;
  /** HTTP status from the target, when there was an answer. */
  readonly status?: number;
  /** Retry-After in milliseconds (429/503). */
  readonly retryAfterMs?: number;
  /** The target's OperationOutcome (or one describing the failure). */
  readonly outcome?: OperationOutcome;
  /** Short code: `http-<status>`, `timeout`, `network`, `payload-expired`, `entry-refused`, … */
  readonly code: string;
  /** The entries the server refused or did not confirm: index, type, status, redacted reason. */
  readonly entries?: RefusedEntry[];

  constructor(
    kind: DeliveryErrorKind,
    code: string,
    extra: { status?: number; retryAfterMs?: number; outcome?: OperationOutcome; entries?: RefusedEntry[] } = {}
  ) {
    super(`delivery ${kind}: ${code}`);
    this.name = 'DeliveryError';
    this.kind = kind;
    this.code = code;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
    this.outcome = extra.outcome;
    this.entries = extra.entries?.map(({ index, resourceType, status, reason }) => ({ index, resourceType, status, ...(reason ? { reason } : {}) }));
  }
}

/**
 * Parses a Retry-After header (seconds or an HTTP date).
 * @param value - the header
 * @returns milliseconds, or undefined
 */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Seconds until a rate limit resets, from a `RateLimit` header (draft-ietf-httpapi-ratelimit-headers:
 * `"policy";r=<remaining>;t=<seconds>`, several policies comma-separated). Servers that answer 429
 * without Retry-After send it instead (Medplum: `"requests";r=0;t=42` on its auth endpoints). The
 * longest reset among the exhausted policies (`r=0`), else the longest of all.
 * @param header - the header value
 * @returns the seconds as text (a Retry-After value), or undefined
 */
export function rateLimitReset(header: string | null | undefined): string | undefined {
  const policies = (header ?? '')
    .split(',')
    .map((p) => ({ r: /;\s*r=(\d+)/.exec(p)?.[1], t: /;\s*t=(\d+)/.exec(p)?.[1] }))
    .filter((p): p is { r: string | undefined; t: string } => p.t !== undefined);
  const exhausted = policies.filter((p) => p.r === '0');
  const seconds = (exhausted.length ? exhausted : policies).map((p) => Number(p.t));
  return seconds.length ? String(Math.max(...seconds)) : undefined;
}

/**
 * The wait an answer asks for: its Retry-After, else (on a 429) the reset of its `RateLimit` header.
 * @param headers - the answer's headers
 * @param status - its status
 * @returns milliseconds, or undefined
 */
export function retryAfterOf(headers: { get(name: string): string | null } | undefined, status: number): number | undefined {
  return parseRetryAfter(headers?.get('retry-after') ?? (status === 429 ? rateLimitReset(headers?.get('ratelimit')) : undefined));
}

/**
 * Classifies a target's status that was not 2xx: 429 rate-limited (for its Retry-After, else 1 s), 408
 * and 5xx retried, any other status rejected (a dead letter).
 * @param status - the status
 * @param answer - the target's OperationOutcome and the wait it asked for, when known
 * @returns the error
 */
export function deliveryErrorFromStatus(status: number, answer: { outcome?: OperationOutcome; retryAfterMs?: number } = {}): DeliveryError {
  const { outcome, retryAfterMs } = answer;
  if (status === 429) {
    return new DeliveryError('rate-limited', 'http-429', { status, retryAfterMs: retryAfterMs ?? 1000, outcome });
  }
  if (status === 408 || status >= 500) {
    return new DeliveryError('retry', `http-${status}`, { status, retryAfterMs, outcome });
  }
  return new DeliveryError('rejected', `http-${status}`, { status, outcome });
}

/**
 * Classifies a target's HTTP answer that was not 2xx, as read off the wire.
 * @param status - the status
 * @param body - parsed body (an OperationOutcome is kept)
 * @param retryAfter - the Retry-After header
 * @returns the error
 */
export function targetHttpError(status: number, body: unknown, retryAfter?: string | null): DeliveryError {
  return deliveryErrorFromStatus(status, { outcome: isOperationOutcome(body) ? body : undefined, retryAfterMs: parseRetryAfter(retryAfter) });
}

/**
 * Classifies anything thrown while delivering: fhir-kit-client errors (`err.response.status`,
 * `err.response.data`, `err.config.headers`), fetch/undici errors, aborts.
 * @param err - what was thrown
 * @returns the error
 */
export function classifyError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) {
    return err;
  }
  const e = err as {
    name?: string;
    code?: string;
    response?: { status?: number; data?: unknown };
    config?: { headers?: { get?: (name: string) => string | null } };
    cause?: { code?: string };
  };
  if (e?.response?.status) {
    const headers = e.config?.headers?.get ? (e.config.headers as { get(name: string): string | null }) : undefined;
    const after = retryAfterOf(headers, e.response.status);
    return targetHttpError(e.response.status, e.response.data, after === undefined ? undefined : String(Math.ceil(after / 1000)));
  }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new DeliveryError('retry', 'timeout');
  }
  const code = e?.cause?.code ?? e?.code;
  return new DeliveryError('retry', code ? `network-${String(code).toLowerCase()}` : 'network');
}

/**
 * What of a target's OperationOutcome is kept in a dead letter (served by GET /v1/dead-letters):
 * each issue's severity, code, expression and `details.coding` (system, code). `details.text` and
 * `diagnostics` are dropped: EHRs often echo the rejected value in them (PHI).
 * @param outcome - the target's OperationOutcome
 * @returns the redacted copy, or undefined
 */
export function redactOutcome(outcome: OperationOutcome | undefined): OperationOutcome | undefined {
  if (!outcome) {
    return undefined;
  }
  return {
    resourceType: 'OperationOutcome',
    issue: (outcome.issue ?? []).map((i) => {
      const coding = (i.details?.coding ?? []).map((c) => ({ ...(c.system ? { system: c.system } : {}), ...(c.code ? { code: c.code } : {}) }));
      return {
        severity: i.severity,
        code: i.code,
        ...(coding.length ? { details: { coding } } : {}),
        ...(i.expression?.length ? { expression: [...i.expression] } : {}),
      };
    }),
  };
}
