/**
 * Fault injection for the sandbox EHR: rules matched per request (method + path pattern), each
 * answering with an HTTP status (500/503/429 + Retry-After/412/400 + OperationOutcome), a delay,
 * or a dropped connection, for a number of times ("fail N times then succeed") or until cleared.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';

/** One fault rule. Omitted matchers match everything. */
export interface FaultRule {
  /** HTTP method to match (e.g. `POST`). */
  method?: string;
  /** Regular expression (source string or RegExp) tested against the path + query (e.g. `^/Patient`). */
  path?: string | RegExp;
  /** How many matching requests this rule applies to; unlimited when omitted. */
  times?: number;
  /** Status to answer with instead of processing the request. */
  status?: number;
  /** Retry-After header value in seconds (with status 429 or 503). */
  retryAfterSeconds?: number;
  /** OperationOutcome body for the status (a default one is made when omitted). */
  outcome?: OperationOutcome;
  /** Wait this long before answering (or processing, when no status is set). */
  delayMs?: number;
  /** Destroy the socket: `before` processing (nothing written) or `after` processing (written, no answer). */
  drop?: 'before' | 'after';
}

/** A rule as stored, with its remaining count and hit counter. */
export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
}

/** Holds the rules and picks the one for a request. */
export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  /**
   * Adds a rule (rules are tried in the order they were added).
   * @param rule - the rule
   * @returns the rule's id
   */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The active rules. */
  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /**
   * Finds the rule for a request and counts the hit (a rule whose `times` is used up is removed).
   * @param method - HTTP method
   * @param url - path and query, relative to the FHIR base
   * @returns the matching rule, if any
   */
  take(method: string, url: string): ActiveFault | undefined {
    const rule = this.rules.find((r) => matches(r, method, url));
    if (!rule) {
      return undefined;
    }
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times) {
      this.rules = this.rules.filter((r) => r !== rule);
    }
    return { ...rule };
  }
}

function matches(rule: FaultRule, method: string, url: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  if (rule.path !== undefined) {
    const re = typeof rule.path === 'string' ? new RegExp(rule.path) : rule.path;
    if (!re.test(url)) {
      return false;
    }
  }
  return true;
}
