/**
 * Clinic API for episodes: `POST /v1/episodes`, `PUT /v1/episodes/{id}` (a new version),
 * `POST /v1/episodes/{id}/sessions` (one session added; the service bumps the version).
 * Each answers 202 with the episode id, its version and the job ids, or 400/404/409/422 with an
 * OperationOutcome and nothing enqueued.
 */
import { Router, type Request, type Response } from 'express';
import { OperationOutcomeError } from '../../outcomes.js';
import type { AppDeps } from '../deps.js';
import { httpError, withStatus } from '../http-outcomes.js';
import type { KapEpisodeLike, Parsed } from '../ports.js';
import { caller, context } from '../request-context.js';
import { ingestEpisode, type Accepted } from './ingest.js';

/** Throws the parse outcome as 422 (400 when the body is not a JSON object at all). */
export function parsedOrThrow<T>(deps: AppDeps, body: unknown, parsed: Parsed<T>): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpError(400, 'structure', 'Request body must be a JSON object');
  }
  if (!parsed.ok) {
    deps.metrics.validationFailures.inc({ source: 'schema' });
    throw new OperationOutcomeError(withStatus(422, parsed.outcome));
  }
  return parsed.value;
}

/** Sets the tenant: the authenticated clinic is the episode's clinic. */
export function asTenant(episode: KapEpisodeLike, clinicId: string): KapEpisodeLike {
  const clinic = (episode.clinic ?? {}) as Record<string, unknown>;
  return { ...episode, clinic: { ...clinic, id: clinicId } };
}

/** Sends a 202 with Location on the first job. */
export function sendAccepted(res: Response, accepted: Accepted): void {
  if (accepted.jobIds[0]) {
    res.setHeader('Location', `/v1/jobs/${encodeURIComponent(accepted.jobIds[0])}`);
  }
  res.status(202).json(accepted);
}

/** The episodes router. */
export function episodesRouter(deps: AppDeps): Router {
  const router = Router();

  router.post('/episodes', async (req: Request, res: Response) => {
    const clinicId = caller(res).clinicId as string;
    const episode = parsedOrThrow(deps, req.body, deps.episodes.parse(req.body));
    sendAccepted(res, await ingestEpisode(deps, clinicId, asTenant(episode, clinicId), context(res).requestId, 'not-older'));
  });

  router.put('/episodes/:id', async (req: Request<{ id: string }>, res: Response) => {
    const clinicId = caller(res).clinicId as string;
    const episode = parsedOrThrow(deps, req.body, deps.episodes.parse(req.body));
    if (episode.id !== req.params.id) {
      throw httpError(400, 'invalid', 'The episode id in the body differs from the id in the URL', 'id');
    }
    const current = await deps.store.get(clinicId, episode.id);
    const version = typeof req.body.version === 'number' ? episode.version : (current?.version ?? 0) + 1;
    sendAccepted(
      res,
      await ingestEpisode(deps, clinicId, asTenant({ ...episode, version }, clinicId), context(res).requestId, 'newer')
    );
  });

  router.post('/episodes/:id/sessions', async (req: Request<{ id: string }>, res: Response) => {
    const clinicId = caller(res).clinicId as string;
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw httpError(400, 'structure', 'Request body must be a JSON object');
    }
    const accepted = await addToEpisode(deps, clinicId, req.params.id, 'sessions', req.body, context(res).requestId);
    sendAccepted(res, accepted);
  });

  return router;
}

/**
 * Adds one item (a session or a questionnaire result) to the stored episode, bumps the version,
 * parses the whole episode again (so references to practitioners, prescriptions, sessions are
 * checked) and ingests it. Refusals name the field relative to the submitted item.
 * @param deps - the app's dependencies
 * @param clinicId - the tenant
 * @param episodeId - the stored episode's id
 * @param collection - `sessions` or `questionnaires`
 * @param item - the submitted item (a JSON object)
 * @param requestId - the request id
 */
export async function addToEpisode(
  deps: AppDeps,
  clinicId: string,
  episodeId: string,
  collection: 'sessions' | 'questionnaires',
  item: Record<string, unknown>,
  requestId: string
): Promise<Accepted> {
  const current = await deps.store.get(clinicId, episodeId);
  if (!current) {
    throw httpError(404, 'not-found', 'Episode not found');
  }
  const existing = (current.episode[collection] as { id?: unknown }[] | undefined) ?? [];
  if (typeof item.id === 'string' && existing.some((x) => x.id === item.id)) {
    throw httpError(409, 'duplicate', `An item with this id already exists in the episode's ${collection}`, 'id');
  }
  const index = existing.length;
  const candidate: KapEpisodeLike = {
    ...current.episode,
    [collection]: [...existing, item],
    version: current.version + 1,
    updatedAt: new Date().toISOString(),
  };
  // Expressions relative to the submitted item; the rest of the episode under `episode.`.
  const prefix = `${collection}[${index}]`;
  const rebase = (e: string): string =>
    e === prefix ? '$this' : e.startsWith(`${prefix}.`) ? e.slice(prefix.length + 1) : `episode.${e}`;
  const parsed = deps.episodes.parse(candidate);
  if (!parsed.ok) {
    deps.metrics.validationFailures.inc({ source: 'schema' });
    const issues = (parsed.outcome.issue ?? []).map((x) => ({ ...x, expression: x.expression?.map(rebase) }));
    throw new OperationOutcomeError(withStatus(422, { resourceType: 'OperationOutcome', issue: issues }));
  }
  return ingestEpisode(deps, clinicId, asTenant(parsed.value, clinicId), requestId, 'newer', rebase);
}
