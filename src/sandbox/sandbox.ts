/**
 * The sandbox EHR: a FHIR R4 REST server on Medplum's FhirRouter and an atomic in-memory
 * repository, with fault injection, a request log, a test token endpoint (OAuth2 client
 * credentials and SMART Backend Services) and a webhook receiver that checks HMAC signatures.
 *
 * Routes, relative to where the app is mounted:
 * - FHIR: `GET /metadata`, read, search, create (conditional with If-None-Exist), update,
 *   conditional update, `POST /` transaction and batch.
 * - `POST /_auth/token`: OAuth2 token endpoint (see token-endpoint.ts).
 * - `POST /_webhook/:name`: webhook receiver (records deliveries, verifies signatures).
 * - `/_admin/...` (only when `admin` is on): faults, request log, reset, transaction switch.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { badRequest, getStatus, isOk, OperationOutcomeError, unauthorized } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import express, { type Express, type Request, type Response } from 'express';
import { loadBaseDefinitions } from '../fhir/definitions.js';
import { sandboxCapabilityStatement } from './capability-statement.js';
import { FaultInjector, type FaultRule } from './fault-injector.js';
import { SandboxRepository } from './sandbox-repository.js';
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
}

/** What tests (in-process) and the admin endpoint control. */
export interface SandboxControls {
  readonly repo: SandboxRepository;
  readonly faults: FaultInjector;
  readonly tokens: TokenIssuer;
  readonly requests: SandboxRequestRecord[];
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
  /** Empties the store, the request log and the webhook log, and removes the faults. */
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
  let seq = 0;

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
    reset: () => {
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

  app.post('/_auth/token', express.urlencoded({ extended: false }), tokens.handler);

  app.post('/_webhook/:name', express.raw({ type: () => true, limit: '20mb' }), (req: Request, res: Response) => {
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
    webhooks.push({ name, receivedAt: Date.now(), headers, body, verified });
    res.status(verified || secret === undefined ? 204 : 401).end();
  });

  if (options.admin ?? false) {
    const admin = express.Router();
    admin.use(express.json());
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
    admin.post('/transactions', (req, res) => {
      transactions = Boolean((req.body as { enabled?: boolean }).enabled);
      res.json({ enabled: transactions });
    });
    app.use('/_admin', admin);
  }

  app.use(express.json({ type: ['application/json', 'application/fhir+json'], limit: '20mb' }));

  app.use(async (req: Request, res: Response) => {
    const record: SandboxRequestRecord = { seq: ++seq, method: req.method, url: req.url, startedAt: Date.now() };
    const body = req.body as Resource | undefined;
    if (body?.resourceType === 'Bundle') {
      record.bundleIdentifier = (body as Bundle).identifier?.value;
    }
    requests.push(record);
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
    if (requireAuth && !tokens.check(req.get('authorization'))) {
      send(401, unauthorized, { 'www-authenticate': 'Bearer' });
      return;
    }
    if (req.method === 'GET' && (req.path === '/metadata' || req.path === '/metadata/')) {
      send(200, sandboxCapabilityStatement(transactions));
      return;
    }
    if (!transactions && req.method === 'POST' && (req.path === '/' || req.path === '') && body?.resourceType === 'Bundle') {
      send(400, badRequest('This server does not support transaction or batch Bundles'));
      return;
    }
    if (req.method === 'POST' && req.path === '/' && body?.resourceType === 'Bundle' && (body as Bundle).type === 'transaction') {
      try {
        const minimal = /return=minimal/i.test(req.get('prefer') ?? '');
        const response = await processTransaction(repo, body as Bundle, minimal);
        if (fault?.drop === 'after') {
          record.status = 200;
          record.endedAt = Date.now();
          req.socket.destroy();
          return;
        }
        send(200, response);
      } catch (err) {
        const outcome = err instanceof OperationOutcomeError ? err.outcome : faultOutcome(500, undefined);
        send(getStatus(outcome), outcome);
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
      config: { transactions: true },
    };
    let result: [OperationOutcome, Resource?, unknown?];
    try {
      result = (await router.handleRequest(fhirRequest, repo)) as typeof result;
    } catch (err) {
      // Not Medplum's normalizeOperationOutcome: it echoes the error's message (STYLE.md §1).
      result = [err instanceof OperationOutcomeError ? err.outcome : faultOutcome(500, undefined)];
    }
    const [outcome, resource] = result;
    const status = getStatus(outcome);
    const headers: Record<string, string> = {};
    if (resource && 'id' in resource && resource.id && resource.resourceType !== 'Bundle') {
      headers.location = `${resource.resourceType}/${resource.id}`;
      if (resource.meta?.versionId) {
        headers.etag = `W/"${resource.meta.versionId}"`;
      }
    }
    if (fault?.drop === 'after') {
      record.status = status;
      record.endedAt = Date.now();
      req.socket.destroy();
      return;
    }
    send(status, isOk(outcome) && resource ? resource : outcome, headers);
  });

  return { app, controls };
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
 * Starts a sandbox on 127.0.0.1, FHIR base at `/fhir`.
 * @param options - sandbox options and `port` (0 = any free port)
 * @returns the running sandbox
 */
export async function startSandbox(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<RunningSandbox> {
  const { app, controls } = createSandbox({ ...options, admin: options.admin ?? true });
  const root = express();
  root.use('/fhir', app);
  const host = options.host ?? '127.0.0.1';
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
