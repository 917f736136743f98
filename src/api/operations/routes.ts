/**
 * Operations: `/health` (process up), `/ready` (Redis reachable and profiles loaded),
 * `/metrics` (Prometheus, admin) and the BullMQ dashboard at `/admin/queues` (bull-board, admin).
 * The dashboard never writes job contents (see {@link dashboardWriteGuard}).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { issue } from '../../outcomes.js';
import type { AppOptions } from '../app-options.js';
import { sendOutcome } from '../error-handler.js';
import { httpError, httpOutcome } from '../../http-outcomes.js';

/** Public probes: `/health` and `/ready`. */
export function probesRouter({ redis: client, validator, conformance }: AppOptions): Router {
  const router = Router();
  router.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req: Request, res: Response) => {
    let redis = false;
    try {
      redis = (await client.ping()) === 'PONG';
    } catch {
      redis = false;
    }
    const profiles = validator.loaded() && conformance.profiles().length > 0;
    if (redis && profiles) {
      res.json({ status: 'ready', redis: 'ok', profiles: conformance.profiles().length });
      return;
    }
    const o = httpOutcome(400, [
      ...(redis ? [] : [issue('error', 'transient', 'Redis is not reachable')]),
      ...(profiles ? [] : [issue('error', 'transient', 'Profiles are not loaded')]),
    ]);
    sendOutcome(res, 503, o);
  });
  return router;
}

/** `GET /metrics` (mount behind requireAuth + requireAdmin). */
export function metricsHandler({ metrics }: AppOptions) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/**
 * The dashboard's API calls that change jobs without writing their contents: retry (one job, or
 * every failed/completed one), promote (one, or every delayed one), remove (`clean` one job, or
 * every job of a state) and pause/resume. Paths relative to the dashboard, as bull-board 9 routes
 * them (node_modules/@bull-board/api/dist/routes.js).
 */
const DASHBOARD_WRITES_ALLOWED: readonly { method: string; path: RegExp }[] = [
  { method: 'PUT', path: /^\/api\/queues\/[^/]+\/[^/]+\/(retry|promote|clean)$/ },
  { method: 'PUT', path: /^\/api\/queues\/[^/]+\/(retry|clean)\/[^/]+$/ },
  { method: 'PUT', path: /^\/api\/queues\/[^/]+\/(promote|pause|resume)$/ },
  { method: 'PUT', path: /^\/api\/queues\/(pause|resume)$/ },
];

/**
 * True when a dashboard request may go through: reads, and the writes of
 * {@link DASHBOARD_WRITES_ALLOWED}. Everything else is refused — adding a job (and the UI's
 * "duplicate", which adds one), editing job data, job scheduler templates, and any write route a
 * later bull-board adds (deny by default; bull-board matches paths case-insensitively, this list
 * case-sensitively, so a variant spelling is refused, never let through).
 * @param method - the HTTP method
 * @param path - the path relative to the dashboard's mount point
 */
export function dashboardRequestAllowed(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') {
    return true;
  }
  return DASHBOARD_WRITES_ALLOWED.some((r) => r.method === method && r.path.test(path));
}

/**
 * Middleware in front of bull-board: 403 OperationOutcome for what {@link dashboardRequestAllowed}
 * refuses. bull-board's own `readOnlyMode` would also remove retry, promote and remove, and it has no
 * option that keeps those but refuses job writes.
 */
export function dashboardWriteGuard(req: Request, _res: Response, next: NextFunction): void {
  if (!dashboardRequestAllowed(req.method, req.path)) {
    throw httpError(403, 'forbidden', 'The queue dashboard does not add jobs or change job data: retry, promote and remove only');
  }
  next();
}

/** The bull-board dashboard (mount at `/admin/queues` behind requireAuth + requireAdmin). */
export function queueBoardRouter({ sync }: AppOptions): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: sync.queues().map((q) => new BullMQAdapter(q)),
    // @bull-board/express pins its own @bull-board/api patch release: same interface, other declaration.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'kap-fhir queues' } },
  });
  const router = Router();
  router.use(dashboardWriteGuard, serverAdapter.getRouter() as Router);
  return router;
}
