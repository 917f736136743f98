/**
 * The one submission pipeline, free of HTTP: parse → tenant → admit → map → safety signals → validate →
 * store → enqueue. Every write of the API calls it — `POST /v1/episodes`, `PUT /v1/episodes/{id}`,
 * `POST /v1/episodes/{id}/sessions`, `POST /v1/questionnaire-responses` and the FHIR intake `POST /fhir` —
 * and answers {@link Accepted} or throws an OperationOutcomeError whose `id` carries the status (Medplum's
 * `getStatus()`), with nothing kept or enqueued. `kap-fhir map` runs its map + signals step
 * (map-clinic-episode.ts), so it prints what the EHR receives.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { httpError, withStatus } from '../http-outcomes.js';
import { parseEpisode, type KapEpisode } from '../kap/episode.js';
import { OperationOutcomeError } from '../outcomes.js';
import { episodeFromFhirBundle, parseSubmittedEpisode } from './parse-submission.js';
import { asTenant, submitEpisode, type Accepted, type PipelineOptions } from './submit-episode.js';

/** Who submits: the authenticated clinic (the tenant) and the request (travels with the jobs). */
export interface Submitter {
  clinicId: string;
  requestId: string;
}

/** The collections of an episode an item can be added to. */
export type EpisodeCollection = 'sessions' | 'questionnaires';

/** The pipeline, one method per kind of write. */
export interface EpisodePipeline {
  /**
   * A new episode, or the kept version again (answered with its job ids).
   * @param by - the tenant and request
   * @param body - the clinic's episode JSON
   */
  submit(by: Submitter, body: unknown): Promise<Accepted>;
  /**
   * A new version of a kept episode (a newer version than the kept one).
   * @param by - the tenant and request
   * @param episodeId - the episode id the version is for (the body's must be the same)
   * @param body - the clinic's episode JSON; without `version`, the kept version + 1
   */
  replace(by: Submitter, episodeId: string, body: unknown): Promise<Accepted>;
  /**
   * One session or questionnaire result added to the kept episode, as its next version. The whole
   * episode is parsed again (references to practitioners, prescriptions, sessions are checked);
   * refusals name the field relative to the item (`$this`, `answers…`) or under `episode.`.
   * @param by - the tenant and request
   * @param episodeId - the kept episode
   * @param collection - `sessions` or `questionnaires`
   * @param item - the item (a JSON object)
   */
  addToEpisode(by: Submitter, episodeId: string, collection: EpisodeCollection, item: Record<string, unknown>): Promise<Accepted>;
  /**
   * An episode as a transaction/batch Bundle of KAP resources (POST /fhir), already validated as submitted.
   * @param by - the tenant and request
   * @param bundle - the Bundle
   */
  submitFhirBundle(by: Submitter, bundle: Bundle): Promise<Accepted>;
}

/**
 * Creates the pipeline.
 * @param options - where episodes are kept, mapped and sent; limits; metrics
 */
export function createEpisodePipeline(options: PipelineOptions): EpisodePipeline {
  const { metrics, store } = options;
  const submitAs = (by: Submitter, episode: KapEpisode, rule: 'not-older' | 'newer', rebase?: (e: string) => string) =>
    submitEpisode(options, by.clinicId, asTenant(episode, by.clinicId), by.requestId, rule, rebase);

  return {
    submit(by, body) {
      return submitAs(by, parseSubmittedEpisode(body, metrics), 'not-older');
    },

    async replace(by, episodeId, body) {
      const episode = parseSubmittedEpisode(body, metrics);
      if (episode.id !== episodeId) {
        throw httpError(400, 'invalid', 'The episode id in the body differs from the id in the URL', 'id');
      }
      const current = await store.get(by.clinicId, episode.id);
      const version = typeof (body as { version?: unknown }).version === 'number' ? episode.version : (current?.version ?? 0) + 1;
      return submitAs(by, { ...episode, version }, 'newer');
    },

    async addToEpisode(by, episodeId, collection, item) {
      const current = await store.get(by.clinicId, episodeId);
      if (!current) {
        throw httpError(404, 'not-found', 'Episode not found');
      }
      const existing: { id?: unknown }[] = current.episode[collection] ?? [];
      if (typeof item.id === 'string' && existing.some((x) => x.id === item.id)) {
        throw httpError(409, 'duplicate', `An item with this id already exists in the episode's ${collection}`, 'id');
      }
      const index = existing.length;
      const candidate = {
        ...current.episode,
        [collection]: [...existing, item],
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      // Expressions relative to the submitted item; the rest of the episode under `episode.`.
      const prefix = `${collection}[${index}]`;
      const rebase = (e: string): string =>
        e === prefix ? '$this' : e.startsWith(`${prefix}.`) ? e.slice(prefix.length + 1) : `episode.${e}`;
      const parsed = parseEpisode(candidate);
      if (!parsed.ok) {
        metrics.validationFailures.inc({ source: 'schema' });
        const issues = (parsed.outcome.issue ?? []).map((x) => ({ ...x, expression: x.expression?.map(rebase) }));
        throw new OperationOutcomeError(withStatus(422, { resourceType: 'OperationOutcome', issue: issues }));
      }
      return submitAs(by, parsed.episode, 'newer', rebase);
    },

    submitFhirBundle(by, bundle) {
      return submitAs(by, episodeFromFhirBundle(bundle, metrics), 'not-older');
    },
  };
}
