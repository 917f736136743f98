/**
 * Jobs, dead letters and the delivery log, scoped to the caller's clinic (an admin sees all):
 * `GET /v1/jobs/{id}`, `GET /v1/dead-letters`, `POST /v1/dead-letters/{id}/replay`,
 * `GET /v1/delivery-log`, `GET /v1/reconcile?target=…[&episodeId=…]` (a FHIR target read back: missing,
 * duplicated, different resources — ids, types and field paths only). Another clinic's job is 404.
 */
import { Router, type Request, type Response } from 'express';
import type { AppOptions } from '../app-options.js';
import { httpError } from '../../http-outcomes.js';
import { caller } from '../request-context.js';

/** The tenant filter: the clinic, or undefined for an admin without a clinic. */
function scope(res: Response): string | undefined {
  const c = caller(res);
  return c.clinicId ?? (c.admin ? undefined : '\u0000none');
}

/** The jobs router. */
export function jobsRouter({ sync }: AppOptions): Router {
  const router = Router();

  router.get('/jobs/:id', async (req: Request<{ id: string }>, res: Response) => {
    const job = await sync.jobStatus(req.params.id, scope(res));
    if (!job) {
      throw httpError(404, 'not-found', 'Job not found');
    }
    res.json(job);
  });

  router.get('/dead-letters', async (_req: Request, res: Response) => {
    const items = (await sync.listDeadLetters(scope(res))).map((d) => ({ id: d.jobId, ...d }));
    res.json({ total: items.length, items });
  });

  router.get('/delivery-log', async (req: Request, res: Response) => {
    const c = caller(res);
    const clinicId = c.clinicId ?? (c.admin && typeof req.query.clinicId === 'string' ? req.query.clinicId : undefined);
    if (!clinicId) {
      throw httpError(400, 'required', 'An admin names the clinic with ?clinicId=', 'clinicId');
    }
    const items = await sync.deliveryLog(clinicId);
    res.json({ total: items.length, items });
  });

  router.get('/reconcile', async (req: Request, res: Response) => {
    const c = caller(res);
    const target = typeof req.query.target === 'string' ? req.query.target : undefined;
    if (!target) {
      throw httpError(400, 'required', 'Name the target with ?target=', 'target');
    }
    const report = await sync.reconcile(target, {
      callerClinicId: c.clinicId ?? (c.admin ? undefined : '\u0000none'),
      clinicId: c.admin && !c.clinicId && typeof req.query.clinicId === 'string' ? req.query.clinicId : undefined,
      episodeId: typeof req.query.episodeId === 'string' ? req.query.episodeId : undefined,
    });
    res.json(report);
  });

  router.post('/dead-letters/:id/replay', async (req: Request<{ id: string }>, res: Response) => {
    const clinicId = scope(res);
    const known = await sync.listDeadLetters(clinicId);
    if (!known.some((d) => d.jobId === req.params.id)) {
      throw httpError(404, 'not-found', 'Dead letter not found');
    }
    const { jobId } = await sync.replay(req.params.id, clinicId);
    res.setHeader('Location', `/v1/jobs/${encodeURIComponent(jobId)}`);
    res.status(202).json({ jobId });
  });

  return router;
}
