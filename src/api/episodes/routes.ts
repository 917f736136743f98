/**
 * Clinic API for episodes: `POST /v1/episodes`, `PUT /v1/episodes/{id}` (a new version),
 * `POST /v1/episodes/{id}/sessions` (one session added; the service bumps the version). Each is one
 * call of the submission pipeline (src/pipeline) and answers 202 with the episode id, its version and
 * the job ids, or 400/404/409/422 with an OperationOutcome and nothing enqueued.
 */
import { Router, type Request, type Response } from 'express';
import type { Accepted, Submitter } from '../../pipeline/index.js';
import type { AppOptions } from '../app-options.js';
import { httpError } from '../../http-outcomes.js';
import { caller, context } from '../request-context.js';

/** The tenant (the authenticated clinic, which `requireClinic` guarantees) and the request. */
export function submitter(res: Response): Submitter {
  return { clinicId: caller(res).clinicId as string, requestId: context(res).requestId };
}

/** Sends a 202 with Location on the first job. */
export function sendAccepted(res: Response, accepted: Accepted): void {
  if (accepted.jobIds[0]) {
    res.setHeader('Location', `/v1/jobs/${encodeURIComponent(accepted.jobIds[0])}`);
  }
  res.status(202).json(accepted);
}

/** The episodes router. */
export function episodesRouter({ pipeline }: AppOptions): Router {
  const router = Router();

  router.post('/episodes', async (req: Request, res: Response) => {
    sendAccepted(res, await pipeline.submit(submitter(res), req.body));
  });

  router.put('/episodes/:id', async (req: Request<{ id: string }>, res: Response) => {
    sendAccepted(res, await pipeline.replace(submitter(res), req.params.id, req.body));
  });

  router.post('/episodes/:id/sessions', async (req: Request<{ id: string }>, res: Response) => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw httpError(400, 'structure', 'Request body must be a JSON object');
    }
    sendAccepted(res, await pipeline.addToEpisode(submitter(res), req.params.id, 'sessions', req.body));
  });

  return router;
}
