/**
 * A per-client FHIR quota for the sandbox's strict mode, as the Medplum server 5.0.10 has it
 * (src/fhir/fhirquota.ts there, measured through its `RateLimit` header): points per client per
 * fixed window of 60 s that starts with the client's first charged interaction; a read costs 1, a
 * history 10, a search 20 (also one refused for an unknown parameter), a create / update / delete
 * 100 (charged before the write is checked, so a refused write costs too). A conditional update that
 * finds its target costs 20 + 100. Points are counted even when refused; once the window's points
 * exceed the limit, every charged interaction answers 429 OperationOutcome `throttled` "Too Many
 * Requests" until the window ends. Inside a batch (or a transaction run as a batch) the entry that
 * hits the quota and every entry after it get that 429 outcome (fhir-router's BatchProcessor).
 */
import { deepClone, OperationOutcomeError, tooManyRequests } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';

/** What each kind of interaction costs. */
export interface QuotaCosts {
  read: number;
  history: number;
  search: number;
  write: number;
}

/** The real server's costs (fhirquota.ts `recordRead` / `recordHistory` / `recordSearch` / `recordWrite`). */
export const MEDPLUM_QUOTA_COSTS: QuotaCosts = { read: 1, history: 10, search: 20, write: 100 };

/** The real server's default per-client quota per minute. */
export const MEDPLUM_DEFAULT_QUOTA = 50_000;

/** Quota options. */
export interface QuotaOptions {
  /** Points per client per window (the real server: 50,000 per minute). */
  pointsPerMinute: number;
  /** Cost per interaction kind (default: the real server's, {@link MEDPLUM_QUOTA_COSTS}). */
  costs?: Partial<QuotaCosts>;
  /** Window length in ms (default 60,000; tests shorten it). */
  windowMs?: number;
  /**
   * Add `Retry-After` (whole seconds until the window ends) to a 429 answer (default true). The real
   * server does not send it: only `RateLimit: "fhirInteractions";r=<left>;t=<seconds>`, which the
   * sandbox sends as well.
   */
  retryAfter?: boolean;
}

/** A client's state after a charge. */
export interface QuotaState {
  limit: number;
  consumed: number;
  remaining: number;
  msBeforeNext: number;
}

/** Per-client fixed-window point counters. */
export class FhirQuota {
  readonly limit: number;
  readonly costs: QuotaCosts;
  readonly windowMs: number;
  readonly retryAfter: boolean;
  private readonly windows = new Map<string, { start: number; consumed: number }>();

  constructor(options: QuotaOptions) {
    if (!Number.isFinite(options.pointsPerMinute) || options.pointsPerMinute < 0) {
      throw new Error('quota pointsPerMinute must be a number ≥ 0');
    }
    this.limit = options.pointsPerMinute;
    this.costs = { ...MEDPLUM_QUOTA_COSTS, ...options.costs };
    this.windowMs = options.windowMs ?? 60_000;
    this.retryAfter = options.retryAfter ?? true;
  }

  /**
   * Charges a client.
   * @param client - the client key (its OAuth client id, or `anonymous`)
   * @param kind - the interaction kind
   * @returns the client's state
   * @throws OperationOutcomeError 429 when the window's points exceed the limit (the state is on `err.quota`)
   */
  charge(client: string, kind: keyof QuotaCosts): QuotaState {
    const now = Date.now();
    let w = this.windows.get(client);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, consumed: 0 };
      this.windows.set(client, w);
    }
    w.consumed += this.costs[kind];
    const state: QuotaState = {
      limit: this.limit,
      consumed: w.consumed,
      remaining: Math.max(0, this.limit - w.consumed),
      msBeforeNext: Math.max(0, w.start + this.windowMs - now),
    };
    if (w.consumed > this.limit) {
      throw new QuotaExceededError(state);
    }
    return state;
  }

  /** The state of a client without charging (undefined when it has no open window). */
  peek(client: string): QuotaState | undefined {
    const w = this.windows.get(client);
    const now = Date.now();
    if (!w || now - w.start >= this.windowMs) {
      return undefined;
    }
    return { limit: this.limit, consumed: w.consumed, remaining: Math.max(0, this.limit - w.consumed), msBeforeNext: w.start + this.windowMs - now };
  }

  /** Forgets every window (all clients start with a full quota). */
  reset(): void {
    this.windows.clear();
  }
}

/** The 429 of an exhausted quota: the real server's OperationOutcome (with its diagnostics shape). */
export class QuotaExceededError extends OperationOutcomeError {
  readonly quota: QuotaState;

  constructor(state: QuotaState) {
    const outcome: OperationOutcome = deepClone(tooManyRequests);
    outcome.issue[0].diagnostics = JSON.stringify({
      _remainingPoints: 0,
      _msBeforeNext: state.msBeforeNext,
      _consumedPoints: state.consumed,
      _isFirstInDuration: false,
      limit: state.limit,
    });
    super(outcome);
    this.quota = state;
  }
}

/** The `RateLimit` header value the real server sends: `"fhirInteractions";r=<remaining>;t=<seconds>`. */
export function rateLimitHeader(state: QuotaState): string {
  return `"fhirInteractions";r=${state.remaining};t=${Math.ceil(state.msBeforeNext / 1000)}`;
}
