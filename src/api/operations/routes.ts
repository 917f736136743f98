/**
 * Operations: `/health` (process up), `/ready` (Redis reachable and profiles loaded),
 * `/metrics` (Prometheus, admin) and the BullMQ dashboard at `/admin/queues` (bull-board, admin).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type Request, type Response } from 'express';
import { issue } from '../../outcomes.js';
import type { AppDeps } from '../deps.js';
import { sendOutcome } from '../error-handler.js';
import { httpOutcome } from '../http-outcomes.js';

/** Public probes: `/health` and `/ready`. */
export function probesRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req: Request, res: Response) => {
    let redis = false;
    try {
      redis = (await deps.redis.ping()) === 'PONG';
    } catch {
      redis = false;
    }
    const profiles = deps.validation.loaded() && deps.conformance.profiles().length > 0;
    if (redis && profiles) {
      res.json({ status: 'ready', redis: 'ok', profiles: deps.conformance.profiles().length });
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
export function metricsHandler(deps: AppDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  };
}

/** The bull-board dashboard (mount at `/admin/queues` behind requireAuth + requireAdmin). */
export function queueBoardRouter(deps: AppDeps): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: deps.sync.queues().map((q) => new BullMQAdapter(q)),
    // @bull-board/express pins its own @bull-board/api patch release: same interface, other declaration.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'kap-fhir queues' } },
  });
  return serverAdapter.getRouter() as Router;
}
