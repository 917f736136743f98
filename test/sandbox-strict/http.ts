/**
 * Plain HTTP for the strict-sandbox tests (real requests, no FHIR client in between): status, raw
 * text, parsed body and headers of each answer.
 */
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

export { startSandbox, type RunningSandbox };

/** One answer. */
export interface Answer {
  status: number;
  /** The parsed body, undefined when empty. */
  body: any;
  /** The raw body. */
  text: string;
  headers: Headers;
}

/** A request function bound to a FHIR base URL. */
export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/**
 * Requests against a FHIR base.
 * @param baseUrl - the FHIR base (no trailing slash)
 * @param defaults - headers sent with every request (e.g. Authorization)
 */
export function http(baseUrl: string, defaults: () => Record<string, string> = () => ({})): Call {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path.startsWith('/') ? path : `/${path}`}`, {
      method,
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...defaults(), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
  };
}

/** The text of an OperationOutcome's first issue. */
export function issueText(body: any): string | undefined {
  return body?.issue?.[0]?.details?.text;
}

/** A strict sandbox on port 0 with a request function. */
export async function strictSandbox(options: SandboxOptions = { strict: true }): Promise<{ sb: RunningSandbox; call: Call }> {
  const sb = await startSandbox(options);
  return { sb, call: http(sb.baseUrl) };
}

/** A fresh random identifier value (tests share nothing). */
export function uniq(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
