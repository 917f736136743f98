/**
 * The sandbox EHR: a FHIR R4 REST server on Medplum's FhirRouter and an atomic in-memory
 * repository, with fault injection, a request log, a test token endpoint (OAuth2 client
 * credentials and SMART Backend Services) and a webhook receiver that checks HMAC signatures.
 *
 * It answers without credentials, so: loopback clients only (403 otherwise, unless `allowRemote`),
 * the API's body-size and JSON depth/array limits (413), and bounded request and webhook logs.
 *
 * Routes, relative to where the app is mounted:
 * - FHIR: `GET /metadata`, read, search, create (conditional with If-None-Exist), update,
 *   conditional update, `POST /` transaction and batch.
 * - `POST /_auth/token`: OAuth2 token endpoint (see token-endpoint.ts).
 * - `POST /_webhook/:name`: webhook receiver (records deliveries, verifies signatures).
 * - `/_admin/...` (only when `admin` is on): faults, request log, reset, transaction and strict switches.
 *
 * Strict mode (option `strict`, strict.ts) behaves like a real FHIR server (the Medplum server 5.0.10):
 * search parameters per type, server-assigned UUID ids, `Prefer: return=minimal`, transactions run as
 * batches (or atomic with that server's limits) and a per-client quota answering 429.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { badRequest, getStatus, isOk, OperationOutcomeError, unauthorized } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { jsonLimits, scanJsonText } from '../api/json-limits.js';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { configSchema, type ServiceConfig } from '../config/service-config.js';
import { sandboxCapabilityStatement, strictCapabilityStatement } from './capability-statement.js';
import { FaultInjector, type FaultRule } from './fault-injector.js';
import { isLoopbackHost, loopbackOnly } from './loopback.js';
import { FhirQuota, rateLimitHeader } from './quota.js';
import { SandboxRepository, type RequestContext } from './sandbox-repository.js';
import { searchParameterRegistry } from './search-parameters.js';
import { resolveStrict, type ResolvedStrict, type SandboxStrictOption } from './strict.js';
import { TokenIssuer } from './token-endpoint.js';
import { processTransaction } from './transaction.js';

/** One request as the sandbox saw it (kept in memory for tests; never logged). */
export interface SandboxRequestRecord {
  seq: number;
  method: string;
  /** Path and query relative to the FHIR base. */
  url: string;
  startedAt: number;
  endedAt?: number;
  status?: number;
  /** The fault rule applied, if any. */
  faultId?: number;
  /** `Bundle.identifier.value` of a posted Bundle. */
  bundleIdentifier?: string;
}

/** A webhook delivery received by the sandbox. */
export interface WebhookDelivery {
  name: string;
  receivedAt: number;
  headers: Record<string, string | undefined>;
  body: string;
  /** True when the signature matched the registered secret and the timestamp was fresh. */
  verified: boolean;
}

/** Body-size and JSON shape limits (the service's `bodyLimit`, `jsonMaxDepth`, `jsonMaxArrayLength`). */
export type SandboxLimits = Pick<ServiceConfig, 'bodyLimit' | 'jsonMaxDepth' | 'jsonMaxArrayLength'>;

/**
 * The limits from settings given as text (environment), with the service's defaults for those not
 * given (5mb, 40, 10000): the one definition is src/config/service-config.ts.
 * @param given - `bodyLimit`, `jsonMaxDepth`, `jsonMaxArrayLength` (undefined = default)
 * @throws ZodError when one is invalid
 */
export function sandboxLimits(given: Partial<Record<keyof SandboxLimits, string | number | undefined>> = {}): SandboxLimits {
  return configSchema.pick({ bodyLimit: true, jsonMaxDepth: true, jsonMaxArrayLength: true }).parse(given);
}

/** Default length of the request log and of the webhook log. */
export const DEFAULT_REQUEST_LOG_LIMIT = 1000;

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Declare and accept transaction/batch Bundles (default true). */
  transactions?: boolean;
  /** Require a bearer token from the token endpoint on FHIR routes (default false). */
  requireAuth?: boolean;
  /**
   * Mount the unauthenticated `/_admin` endpoints (faults, reset, request log). Default false for
   * `createSandbox` (the service's embedded EHR), true for `startSandbox` (tests, `npm run sandbox`).
   */
  admin?: boolean;
  /**
   * Answer clients that are not on loopback (default false: they get 403), and let `startSandbox`
   * listen on a non-loopback address. The sandbox has no credentials: only for an isolated network
   * (docker compose's), `SANDBOX_ALLOW_REMOTE=true`.
   */
  allowRemote?: boolean;
  /** Body-size and JSON limits (default: the service's defaults, see {@link sandboxLimits}). */
  limits?: SandboxLimits;
  /** Entries kept in the request log and in the webhook log, oldest dropped (default 1000). */
  requestLogLimit?: number;
  /**
   * Strict mode: behave like a real FHIR server (the Medplum server 5.0.10) — `true` for every
   * behaviour, or options switching each (strict.ts). Default: the lenient sandbox.
   */
  strict?: SandboxStrictOption;
}

/** What tests (in-process) and the admin endpoint control. */
export interface SandboxControls {
  readonly repo: SandboxRepository;
  readonly faults: FaultInjector;
  readonly tokens: TokenIssuer;
  /** The last `requestLogLimit` requests, oldest first. */
  readonly requests: SandboxRequestRecord[];
  /** The last `requestLogLimit` webhook deliveries, oldest first. */
  readonly webhooks: WebhookDelivery[];
  /** Secrets of webhook receivers by name. */
  readonly webhookSecrets: Map<string, string>;
  /** Adds a fault rule; returns its id. */
  fail(rule: FaultRule): number;
  /** Removes all fault rules. */
  clearFaults(): void;
  /** Switches transaction support (and what /metadata declares). */
  setTransactions(on: boolean): void;
  transactions(): boolean;
  setRequireAuth(on: boolean): void;
  /** Switches strict mode (as the `strict` option; `false` = lenient). Starts a fresh quota. */
  setStrict(option: SandboxStrictOption | undefined): void;
  /** Strict mode's behaviours, undefined when lenient. */
  strict(): ResolvedStrict | undefined;
  /** Strict mode's quota, if on (tests reset or peek at it). */
  quota(): FhirQuota | undefined;
  /** Empties the store, the request log and the webhook log, removes the faults and restarts the quota. */
  reset(): void;
  /** Resources of a type whose identifier matches `system|value` (or all of the type). */
  find<T extends Resource = Resource>(resourceType: string, identifier?: string): Promise<T[]>;
}

/**
 * Creates the sandbox EHR as an express app (mountable, e.g. at `/sandbox/fhir`) and its controls.
 * @param options - see {@link SandboxOptions}
 * @returns the app and the controls
 */
export function createSandbox(options: SandboxOptions = {}): { app: Express; controls: SandboxControls } {
  loadBaseDefinitions();
  const router = new FhirRouter();
  const repo = new SandboxRepository();
  const faults = new FaultInjector();
  const tokens = new TokenIssuer();
  const requests: SandboxRequestRecord[] = [];
  const webhooks: WebhookDelivery[] = [];
  const webhookSecrets = new Map<string, string>();
  let transactions = options.transactions ?? true;
  let requireAuth = options.requireAuth ?? false;
  let strict: ResolvedStrict | undefined;
  const setStrict = (option: SandboxStrictOption | undefined): void => {
    strict = resolveStrict(option);
    repo.strict = strict && {
      searchParameters: strict.searchParameters ? searchParameterRegistry(strict.searchParameters) : undefined,
      serverIds: strict.serverIds,
      quota: strict.quota ? new FhirQuota(strict.quota) : undefined,
    };
  };
  setStrict(options.strict);
  let seq = 0;
  const limits = options.limits ?? sandboxLimits();
  const logLimit = Math.max(1, Math.floor(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT));
  // The API's JSON rules (src/api/json-limits.ts): size, depth, array length, duplicate keys.
  const jsonBody = express.json({
    type: ['application/json', 'application/fhir+json'],
    limit: limits.bodyLimit,
    verify: scanJsonText(limits.jsonMaxDepth),
  });
  const jsonShape = jsonLimits(limits.jsonMaxDepth, limits.jsonMaxArrayLength);

  const controls: SandboxControls = {
    repo,
    faults,
    tokens,
    requests,
    webhooks,
    webhookSecrets,
    fail: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setTransactions: (on) => {
      transactions = on;
    },
    transactions: () => transactions,
    setRequireAuth: (on) => {
      requireAuth = on;
    },
    setStrict,
    strict: () => strict,
    quota: () => repo.strict?.quota,
    reset: () => {
      repo.strict?.quota?.reset();
      repo.clear();
      faults.clear();
      requests.length = 0;
      webhooks.length = 0;
    },
    find: async <T extends Resource>(resourceType: string, identifier?: string): Promise<T[]> => {
      const bundle = await repo.search({
        resourceType: resourceType as Resource['resourceType'],
        filters: identifier ? [{ code: 'identifier', operator: 'eq' as never, value: identifier }] : [],
        count: 10000,
      });
      return (bundle.entry ?? []).map((e) => e.resource as unknown as T);
    },
  };

  const app = express();
  app.disable('x-powered-by');
  if (!options.allowRemote) {
    app.use(loopbackOnly);
  }

  app.post('/_auth/token', express.urlencoded({ extended: false, limit: limits.bodyLimit }), tokens.handler);

  app.post('/_webhook/:name', express.raw({ type: () => true, limit: limits.bodyLimit }), (req: Request, res: Response) => {
    const name = String(req.params.name);
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const secret = webhookSecrets.get(name);
    const headers = {
      'content-type': req.get('content-type'),
      'x-kap-signature': req.get('x-kap-signature'),
      'x-kap-timestamp': req.get('x-kap-timestamp'),
      'x-kap-delivery': req.get('x-kap-delivery'),
    };
    const verified = secret !== undefined && verifyWebhook(secret, headers['x-kap-timestamp'], body, headers['x-kap-signature']);
    const fault = faults.take('POST', `/_webhook/${name}`);
    if (fault?.status) {
      res.status(fault.status).json(faultOutcome(fault.status, fault.outcome));
      return;
    }
    appendBounded(webhooks, { name, receivedAt: Date.now(), headers, body, verified }, logLimit);
    res.status(verified || secret === undefined ? 204 : 401).end();
  });

  if (options.admin ?? false) {
    const admin = express.Router();
    admin.use(jsonBody, jsonShape);
    admin.get('/faults', (_req, res) => {
      res.json(faults.list().map((f) => ({ ...f, path: f.path?.toString() })));
    });
    admin.post('/faults', (req, res) => {
      res.status(201).json({ id: faults.add(req.body as FaultRule) });
    });
    admin.delete('/faults', (_req, res) => {
      faults.clear();
      res.status(204).end();
    });
    admin.get('/requests', (_req, res) => {
      res.json(requests);
    });
    admin.post('/reset', (_req, res) => {
      controls.reset();
      res.status(204).end();
    });
    admin.get('/strict', (_req, res) => {
      res.json({ strict: strict ?? false });
    });
    admin.post('/strict', (req, res) => {
      const option = (req.body as { strict?: unknown }).strict;
      if (option !== undefined && typeof option !== 'boolean' && (typeof option !== 'object' || option === null || Array.isArray(option))) {
        res.status(400).json({ error: 'strict: true, false or an options object' });
        return;
      }
      try {
        setStrict(option as SandboxStrictOption | undefined);
      } catch (err) {
        res.status(400).json({ error: (err as Error).message });
        return;
      }
      res.json({ strict: strict ?? false });
    });
    admin.post('/transactions', (req, res) => {
      transactions = Boolean((req.body as { enabled?: boolean }).enabled);
      res.json({ enabled: transactions });
    });
    app.use('/_admin', admin);
  }

  app.use(jsonBody, jsonShape);

  app.use(async (req: Request, res: Response) => {
    const record: SandboxRequestRecord = { seq: ++seq, method: req.method, url: req.url, startedAt: Date.now() };
    const body = req.body as Resource | undefined;
    if (body?.resourceType === 'Bundle') {
      record.bundleIdentifier = (body as Bundle).identifier?.value;
    }
    appendBounded(requests, record, logLimit);
    const send = (status: number, payload: Resource, headers: Record<string, string> = {}): void => {
      record.status = status;
      record.endedAt = Date.now();
      res.status(status).set(headers).type('application/fhir+json').send(JSON.stringify(payload));
    };
    const fault = faults.take(req.method, req.url);
    record.faultId = fault?.id;
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
    }
    if (fault?.drop === 'before') {
      record.endedAt = Date.now();
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) {
        headers['retry-after'] = String(fault.retryAfterSeconds);
      }
      send(fault.status, faultOutcome(fault.status, fault.outcome), headers);
      return;
    }
    // Strict: `Prefer: return=minimal` (that exact value, as the real server compares it) empties every answer.
    const strictNow = strict;
    const minimal = !!strictNow?.preferMinimal && req.get('prefer') === 'return=minimal';
    const answer = (status: number, payload: Resource, headers: Record<string, string> = {}): void => {
      if (!strictNow) {
        send(status, payload, headers);
        return;
      }
      record.status = status;
      record.endedAt = Date.now();
      // res.end, not res.send: no ETag made up by express from the body (the real server sends the
      // resource's version only).
      res.status(status).set(headers).type('application/fhir+json').end(minimal ? undefined : JSON.stringify(payload));
    };
    if (requireAuth && !tokens.check(req.get('authorization'))) {
      answer(401, unauthorized, { 'www-authenticate': 'Bearer' });
      return;
    }
    if (req.method === 'GET' && (req.path === '/metadata' || req.path === '/metadata/')) {
      answer(
        200,
        strictNow
          ? strictCapabilityStatement({
              registry: searchParameterRegistry(strictNow.searchParameters || 'r4'),
              updateCreate: !strictNow.serverIds,
              transactions,
            })
          : sandboxCapabilityStatement(transactions)
      );
      return;
    }
    if (!transactions && req.method === 'POST' && (req.path === '/' || req.path === '') && body?.resourceType === 'Bundle') {
      answer(400, badRequest('This server does not support transaction or batch Bundles'));
      return;
    }
    const context: RequestContext = { client: tokens.clientOf(req.get('authorization')) ?? 'anonymous' };
    let status = 500;
    let payload: Resource = faultOutcome(500, undefined);
    const headers: Record<string, string> = {};
    await repo.runRequest(context, async () => {
      // The lenient sandbox (and strict mode with `transactions: false`) runs transaction Bundles itself.
      if (
        req.method === 'POST' &&
        req.path === '/' &&
        body?.resourceType === 'Bundle' &&
        (body as Bundle).type === 'transaction' &&
        (!strictNow || strictNow.transactions === false)
      ) {
        try {
          payload = await processTransaction(repo, body as Bundle, /return=minimal/i.test(req.get('prefer') ?? ''));
          status = 200;
        } catch (err) {
          payload = err instanceof OperationOutcomeError ? err.outcome : faultOutcome(500, undefined);
          status = getStatus(payload as OperationOutcome);
        }
        return;
      }
      const fhirRequest: FhirRequest = {
        method: req.method as HttpMethod,
        url: req.url,
        pathname: '',
        body: req.body,
        params: {},
        query: {},
        headers: req.headers,
        // Strict: a transaction Bundle is atomic only with `transactions: 'atomic'` (fhir-router's BatchProcessor).
        config: { transactions: strictNow ? strictNow.transactions === 'atomic' : true },
      };
      let result: [OperationOutcome, Resource?, unknown?];
      try {
        result = (await router.handleRequest(fhirRequest, repo)) as typeof result;
      } catch (err) {
        // Not Medplum's normalizeOperationOutcome: it echoes the error's message (STYLE.md §1).
        result = [err instanceof OperationOutcomeError ? err.outcome : faultOutcome(500, undefined)];
      }
      const [outcome, resource] = result;
      status = getStatus(outcome);
      payload = isOk(outcome) && resource ? resource : outcome;
      if (resource && 'id' in resource && resource.id && resource.resourceType !== 'Bundle') {
        if (!strictNow) {
          headers.location = `${resource.resourceType}/${resource.id}`;
        } else if (status === 201) {
          // As the real server: an absolute Location on 201 only.
          headers.location = `${req.protocol}://${req.get('host')}${req.baseUrl}/${resource.resourceType}/${resource.id}`;
        }
        if (resource.meta?.versionId) {
          headers.etag = `W/"${resource.meta.versionId}"`;
        }
        if (strictNow && resource.meta?.lastUpdated) {
          headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
        }
      }
    });
    if (context.quota) {
      headers.ratelimit = rateLimitHeader(context.quota);
      if (status === 429 && repo.strict?.quota?.retryAfter) {
        headers['retry-after'] = String(Math.max(1, Math.ceil(context.quota.msBeforeNext / 1000)));
      }
    }
    if (fault?.drop === 'after') {
      record.status = status;
      record.endedAt = Date.now();
      req.socket.destroy();
      return;
    }
    answer(status, payload, headers);
  });
  app.use(sandboxErrors);

  return { app, controls };
}

/**
 * Appends to a list kept at most `max` long: the oldest entries are dropped (the same array, so a
 * caller holding it sees the bounded log).
 */
function appendBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) {
    list.splice(0, list.length - max);
  }
}

/** Errors before the FHIR handler (body size, JSON rules, parsing) as OperationOutcomes; fixed text only. */
function sandboxErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const e = err as { type?: string };
  const answer = (status: number, code: 'too-costly' | 'structure' | 'exception', text: string): void => {
    const body: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
    res.status(status).type('application/fhir+json').send(JSON.stringify(body));
  };
  if (e?.type === 'entity.too.large') {
    answer(413, 'too-costly', 'Request body is larger than the limit');
  } else if (e?.type === 'entity.parse.failed') {
    answer(400, 'structure', 'Request body is not valid JSON');
  } else if (err instanceof OperationOutcomeError) {
    res.status(getStatus(err.outcome)).type('application/fhir+json').send(JSON.stringify(err.outcome));
  } else {
    answer(500, 'exception', 'Internal error');
  }
}

function faultOutcome(status: number, given?: OperationOutcome): OperationOutcome {
  if (given) {
    return given;
  }
  const code = status === 429 ? 'throttled' : status === 412 ? 'conflict' : status >= 500 ? 'transient' : 'invalid';
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text: `Injected fault (HTTP ${status})` } }],
  };
}

/**
 * Verifies a kap-fhir webhook signature (docs/sync.md): `X-Kap-Signature: sha256=<hex>` where
 * hex = HMAC-SHA256(secret, `<X-Kap-Timestamp>.<raw body>`), timestamp within 5 minutes.
 * @param secret - the shared secret
 * @param timestamp - the X-Kap-Timestamp header (unix seconds)
 * @param body - the raw request body
 * @param signature - the X-Kap-Signature header
 * @param toleranceSeconds - accepted clock difference
 * @returns true when valid
 */
export function verifyWebhook(
  secret: string,
  timestamp: string | undefined,
  body: string,
  signature: string | undefined,
  toleranceSeconds = 300
): boolean {
  if (!timestamp || !signature?.startsWith('sha256=') || !/^\d+$/.test(timestamp)) {
    return false;
  }
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A sandbox listening on a port. */
export interface RunningSandbox {
  /** FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`. */
  baseUrl: string;
  /** Server root, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  port: number;
  controls: SandboxControls;
  /** Stops listening and cuts open connections (the EHR goes down; the store is kept). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Shuts down for good. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox on 127.0.0.1 (or `host`), FHIR base at `/fhir`.
 * @param options - sandbox options, `port` (0 = any free port) and `host` (a non-loopback one only with `allowRemote`)
 * @returns the running sandbox
 * @throws Error when `host` is not loopback and `allowRemote` is not set
 */
export async function startSandbox(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!options.allowRemote && !isLoopbackHost(host)) {
    throw new Error(
      `the sandbox EHR answers without credentials and listens on loopback only: host ${host} refused ` +
        '(set SANDBOX_ALLOW_REMOTE=true — option allowRemote — to listen there and answer any client, on an isolated network only)'
    );
  }
  const { app, controls } = createSandbox({ ...options, admin: options.admin ?? true });
  const root = express();
  root.use('/fhir', app);
  let server: Server | undefined;
  let sockets = new Set<Socket>();
  let port = options.port ?? 0;
  const listen = async (): Promise<void> => {
    const s = createServer(root);
    sockets = new Set();
    s.on('connection', (sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s) {
      return;
    }
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const sock of sockets) {
      sock.destroy();
    }
    await closed;
  };
  await listen();
  const origin = `http://${host}:${port}`;
  return {
    baseUrl: `${origin}/fhir`,
    origin,
    port,
    controls,
    down: stop,
    up: listen,
    close: stop,
  };
}
