/**
 * A fault-injecting HTTP proxy for tests, in front of any FHIR server on this machine (the real
 * server of ../shared/real-ehr or the sandbox): it listens on 127.0.0.1 (port 0), forwards every
 * request to the target and, per rule (method, path pattern, body pattern; a probability, a count,
 * a number of matching requests to let through first), injects:
 *
 * - `status`: an HTTP status (500, 503, …) with an OperationOutcome, without forwarding, or with
 *   `forward: true` after the server did the work (its answer discarded);
 * - `rate-limit`: 429 with `Retry-After` and an OperationOutcome `throttled`;
 * - `delay`: the request is forwarded at once (the server does the work) and the answer held back
 *   for `ms`, e.g. beyond the client's timeout;
 * - `drop-after`: forwarded, the server answers, then the client's connection is destroyed instead
 *   of answering (the client cannot know whether the write happened);
 * - `reset-before`: the client's connection is reset (TCP RST) before anything is forwarded.
 *
 * Probabilities are drawn from a seeded generator (mulberry32), one draw per matching rule in
 * request arrival order: with the same seed and the same order of requests, the same requests fail.
 * Rules are tried in the order added; the first that fires applies. Traffic goes to loopback only:
 * a target that is not a loopback address is refused.
 *
 * Paths are matched relative to the target's base path: for target `http://127.0.0.1:P/fhir/R4`, a
 * request for `/fhir/R4/Patient?identifier=…` is matched as `/Patient?identifier=…` and a Bundle POST
 * to the base as `/`; a request outside the base (e.g. `/oauth2/token`) is matched by its full path.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isLoopbackHost } from '../../src/sandbox/loopback.js';

/** What a rule injects. */
export type ProxyFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: unknown; forward?: boolean }
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop-after' }
  | { kind: 'reset-before' };

/** Shorthands for faults. */
export const fault = {
  /** An HTTP status answered by the proxy (with `forward`, after the server did the work). */
  status: (status: number, opts: { retryAfterSeconds?: number; body?: unknown; forward?: boolean } = {}): ProxyFault => ({ kind: 'status', status, ...opts }),
  /** 429 with Retry-After. */
  rateLimit: (retryAfterSeconds = 1): ProxyFault => ({ kind: 'rate-limit', retryAfterSeconds }),
  /** Forwarded at once, answered after `ms`. */
  delay: (ms: number): ProxyFault => ({ kind: 'delay', ms }),
  /** Forwarded, then the client's connection destroyed instead of the answer. */
  dropAfter: (): ProxyFault => ({ kind: 'drop-after' }),
  /** The client's connection reset before anything is forwarded. */
  resetBefore: (): ProxyFault => ({ kind: 'reset-before' }),
};

/** One rule. Omitted matchers match everything. */
export interface ProxyRule {
  /** HTTP method (e.g. `POST`). */
  method?: string;
  /** Tested against the path + query relative to the target's base path (see the module comment). */
  path?: string | RegExp;
  /** Tested against the request body as text (e.g. `/"type":"transaction"/`). */
  body?: string | RegExp;
  /** Chance of firing for a matching request, 0..1 (default 1), from the seeded generator. */
  probability?: number;
  /** Fires at most this many times (default unlimited). */
  times?: number;
  /** Lets this many matching requests through before it can fire (default 0). */
  skip?: number;
  fault: ProxyFault;
}

/** A rule as held, with its counters. */
export interface ActiveProxyRule extends ProxyRule {
  id: number;
  /** Matching requests seen. */
  matched: number;
  /** Times fired. */
  fired: number;
}

/** One request as the proxy handled it. */
export interface ProxyLogEntry {
  seq: number;
  method: string;
  /** Path + query relative to the target's base path. */
  url: string;
  ruleId?: number;
  fault?: ProxyFault['kind'];
  /** Whether the request reached the target. */
  forwarded: boolean;
  /** The target's status, when it answered. */
  upstreamStatus?: number;
  /** The status the client got (undefined when its connection was dropped or reset, or it went away). */
  status?: number;
  startedAt: number;
  endedAt?: number;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Seed of the probability draws (default: random; read it back from `proxy.seed`). */
  seed?: number;
  /** Rules to start with. */
  rules?: ProxyRule[];
}

/** A running proxy. */
export interface FaultProxy {
  /** The target's FHIR base through the proxy, e.g. `http://127.0.0.1:41234/fhir/R4`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`: the target's other paths (token endpoint) through the proxy. */
  readonly origin: string;
  readonly port: number;
  readonly target: string;
  readonly seed: number;
  /** Every request handled, in arrival order. */
  readonly log: ProxyLogEntry[];
  /** Adds a rule (tried after the existing ones); returns its id. */
  add(rule: ProxyRule): number;
  remove(id: number): void;
  clear(): void;
  rules(): ActiveProxyRule[];
  /** Stops listening, cuts open connections, cancels held answers. */
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'host', 'content-length'];

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcome(status: number): Record<string, unknown> {
  const code = status === 429 ? 'throttled' : status >= 500 ? 'transient' : 'processing';
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text: `Injected by the fault proxy (HTTP ${status})` } }] };
}

function strip(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && !HOP_BY_HOP.includes(k.toLowerCase())) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Starts a fault proxy in front of `target`.
 * @param target - a FHIR base URL on a loopback address (`http://127.0.0.1:P/fhir`, `http://localhost:P/fhir/R4`)
 * @param options - seed and initial rules
 * @returns the running proxy
 * @throws Error when the target is not http on a loopback address
 */
export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const t = new URL(target);
  if (t.protocol !== 'http:' || !isLoopbackHost(t.hostname)) {
    throw new Error(`fault proxy: the target must be http on a loopback address, not ${t.protocol}//${t.host}`);
  }
  const basePath = t.pathname.replace(/\/+$/, '');
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const random = mulberry32(seed);
  const agent = new Agent({ keepAlive: true });
  let rules: ActiveProxyRule[] = [];
  let nextId = 1;
  let seq = 0;
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const add = (rule: ProxyRule): number => {
    const id = nextId++;
    rules.push({ ...rule, id, matched: 0, fired: 0 });
    return id;
  };
  (options.rules ?? []).forEach(add);

  const pick = (method: string, url: string, body: string): ActiveProxyRule | undefined => {
    for (const rule of rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) {
        continue;
      }
      if (rule.path !== undefined && !(typeof rule.path === 'string' ? new RegExp(rule.path) : rule.path).test(url)) {
        continue;
      }
      if (rule.body !== undefined && !(typeof rule.body === 'string' ? new RegExp(rule.body) : rule.body).test(body)) {
        continue;
      }
      rule.matched++;
      if (rule.matched <= (rule.skip ?? 0) || (rule.times !== undefined && rule.fired >= rule.times)) {
        continue;
      }
      if (rule.probability !== undefined && rule.probability < 1 && random() >= rule.probability) {
        continue;
      }
      rule.fired++;
      return rule;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = strip(req.headers);
      headers.host = t.host;
      if (body.length || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method ?? 'GET')) {
        headers['content-length'] = String(body.length);
      }
      const up = httpRequest({ host: t.hostname.replace(/^\[(.*)\]$/, '$1'), port: t.port || 80, method: req.method, path: req.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const relay = (res: ServerResponse, entry: ProxyLogEntry, status: number, headers: Record<string, string | string[]>, body: Buffer): void => {
    if (res.destroyed || res.socket?.destroyed) {
      entry.endedAt = Date.now();
      return; // the client went away (e.g. its timeout during a delay)
    }
    entry.status = status;
    entry.endedAt = Date.now();
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  };

  const answerLocally = (res: ServerResponse, entry: ProxyLogEntry, status: number, retryAfterSeconds: number | undefined, payload: unknown): void => {
    const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
    if (retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(retryAfterSeconds);
    }
    relay(res, entry, status, headers, Buffer.from(JSON.stringify(payload ?? outcome(status))));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks);
    const full = req.url ?? '/';
    const url = basePath && (full === basePath || full.startsWith(`${basePath}/`) || full.startsWith(`${basePath}?`)) ? full.slice(basePath.length) || '/' : full;
    const entry: ProxyLogEntry = { seq: ++seq, method: req.method ?? 'GET', url, forwarded: false, startedAt: Date.now() };
    log.push(entry);
    const rule = pick(entry.method, url, body.toString('utf8'));
    const f = rule?.fault;
    entry.ruleId = rule?.id;
    entry.fault = f?.kind;

    if (f?.kind === 'reset-before') {
      entry.endedAt = Date.now();
      req.socket.resetAndDestroy();
      return;
    }
    if (f?.kind === 'rate-limit') {
      answerLocally(res, entry, 429, f.retryAfterSeconds ?? 1, undefined);
      return;
    }
    if (f?.kind === 'status' && !f.forward) {
      answerLocally(res, entry, f.status, f.retryAfterSeconds, f.body);
      return;
    }
    let upstream: Awaited<ReturnType<typeof forward>>;
    entry.forwarded = true;
    try {
      upstream = await forward(req, body);
    } catch {
      answerLocally(res, entry, 502, undefined, outcome(502));
      return;
    }
    entry.upstreamStatus = upstream.status;
    if (f?.kind === 'status') {
      answerLocally(res, entry, f.status, f.retryAfterSeconds, f.body);
      return;
    }
    if (f?.kind === 'drop-after') {
      entry.endedAt = Date.now();
      req.socket.destroy();
      return;
    }
    const send = (): void => relay(res, entry, upstream.status, strip(upstream.headers), upstream.body);
    if (f?.kind === 'delay') {
      const wait = Math.max(0, entry.startedAt + f.ms - Date.now());
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, wait);
      timers.add(timer);
      return;
    }
    send();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.destroy();
      }
    });
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}${basePath}`,
    origin,
    port,
    target,
    seed,
    log,
    add,
    remove: (id) => {
      rules = rules.filter((r) => r.id !== id);
    },
    clear: () => {
      rules = [];
    },
    rules: () => rules.map((r) => ({ ...r })),
    close: async () => {
      timers.forEach(clearTimeout);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      sockets.forEach((s) => s.destroy());
      await closed;
      agent.destroy();
    },
  };
}
