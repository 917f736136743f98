/**
 * The parse step of the pipeline: what a clinic sends (KAP episode JSON, or a FHIR transaction/batch
 * Bundle of KAP resources) becomes a typed {@link KapEpisode}, or an outcome naming the fields (never
 * their values): 400 when the body is not a JSON object at all, 422 otherwise.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { httpError, withStatus } from '../http-outcomes.js';
import { unmapBundle } from '../fhir/reverse/index.js';
import { parseEpisode, type KapEpisode } from '../kap/episode.js';
import { OperationOutcomeError } from '../outcomes.js';
import type { PipelineMetrics } from './submit-episode.js';

/** Fixed text when a Bundle cannot be read back into an episode (never the error's message). */
export const UNREADABLE_BUNDLE = 'The Bundle cannot be read back into a KAP episode: an element has the wrong JSON type';

/**
 * Parses a clinic's episode JSON.
 * @param body - the request body
 * @param metrics - counts a refusal (`schema`)
 * @returns the episode
 * @throws OperationOutcomeError 400 (not a JSON object) or 422 naming the fields
 */
export function parseSubmittedEpisode(body: unknown, metrics: PipelineMetrics): KapEpisode {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpError(400, 'structure', 'Request body must be a JSON object');
  }
  const parsed = parseEpisode(body);
  if (!parsed.ok) {
    metrics.validationFailures.inc({ source: 'schema' });
    throw new OperationOutcomeError(withStatus(422, parsed.outcome));
  }
  return parsed.episode;
}

/**
 * Reads an episode back from a transaction/batch Bundle of KAP resources (POST /fhir), after the Bundle
 * was validated as submitted. JSON the reverse mapping trips over (a list that is no array, a null
 * element…) is a `structure` refusal with fixed text, never the error's message.
 * @param bundle - the submitted Bundle
 * @param metrics - counts a refusal (`schema`)
 * @returns the episode
 * @throws OperationOutcomeError 422 naming the fields
 */
export function episodeFromFhirBundle(bundle: Bundle, metrics: PipelineMetrics): KapEpisode {
  try {
    return unmapBundle(bundle).episode;
  } catch (err) {
    metrics.validationFailures.inc({ source: 'schema' });
    if (err instanceof OperationOutcomeError) {
      throw new OperationOutcomeError(withStatus(422, err.outcome));
    }
    throw httpError(422, 'structure', UNREADABLE_BUNDLE, 'Bundle');
  }
}
