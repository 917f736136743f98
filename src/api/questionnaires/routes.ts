/**
 * `POST /v1/questionnaire-responses`: a questionnaire result for a kept episode, as the KAP form
 * (`{ episodeId, id, instrument, authored, sessionId?, answers }`) or as a FHIR
 * QuestionnaireResponse (with `?episodeId=` and optionally `?sessionId=`). It is added to the
 * episode (new version), scored and mapped (QuestionnaireResponse + total Observation + safety
 * signals), validated and synced: 202, or 400/404/409/422 with nothing enqueued. A response with a
 * required item left blank (a PHQ-9 without item 9) is accepted too: it is kept as a `stopped`
 * QuestionnaireResponse, not scored, and raises its safety signal (`phq9-item9-unanswered`). Any
 * instrument id of src/instruments is accepted (the FHIR form is matched by its Questionnaire URL).
 */
import { Router, type Request, type Response } from 'express';
import { FHIR_ID } from '../../fhir-id.js';
import { OperationOutcomeError } from '../../outcomes.js';
import type { AppOptions } from '../app-options.js';
import { sendAccepted, submitter } from '../episodes/routes.js';
import { httpError, withStatus } from '../../http-outcomes.js';
import { questionnaireResultFromFhir } from '../../pipeline/questionnaire-from-fhir.js';

/** The questionnaire-responses router. */
export function questionnairesRouter({ pipeline, metrics }: AppOptions): Router {
  const router = Router();
  router.post('/questionnaire-responses', async (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw httpError(400, 'structure', 'Request body must be a JSON object');
    }
    let episodeId: unknown;
    let item: Record<string, unknown>;
    if (body.resourceType === 'QuestionnaireResponse') {
      episodeId = req.query.episodeId;
      const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
      const parsed = questionnaireResultFromFhir(body, sessionId);
      if (!parsed.ok) {
        metrics.validationFailures.inc({ source: 'schema' });
        throw new OperationOutcomeError(withStatus(422, parsed.outcome));
      }
      item = parsed.value;
    } else {
      const { episodeId: e, ...rest } = body;
      episodeId = e;
      item = rest;
    }
    if (typeof episodeId !== 'string' || !FHIR_ID.test(episodeId)) {
      throw httpError(400, 'required', 'episodeId (body field, or query parameter for a QuestionnaireResponse) is required', 'episodeId');
    }
    sendAccepted(res, await pipeline.addToEpisode(submitter(res), episodeId, 'questionnaires', item));
  });
  return router;
}
