/**
 * Where map + validate runs: in the calling thread (CLI, tests) or on a pool of worker threads (the
 * service), so that a large episode's CPU work never holds the event loop that answers `/health` and
 * every other request. The pool is piscina's; its worker is `map-and-validate.worker` — compiled JS when
 * the service runs from dist/, the TypeScript source through scripts/ts-hooks.ts otherwise.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { Piscina } from 'piscina';
import type { KapEpisode } from '../kap/episode.js';
import type { SafetyOverrides } from '../safety/index.js';
import { mapAndValidate, type MapAndValidateResult } from './map-and-validate.js';
import type { ValidateOptions } from '../validation/validator.js';
import { validateAsData, type MapAndValidateTask, type ValidateTaskResult } from './map-and-validate.worker.js';

/** Maps and validates episodes. */
export interface EpisodeProcessor {
  /** Worker threads (0: in the calling thread). */
  readonly threads: number;
  /**
   * Maps and validates an episode of a clinic, its safety signals by the clinic's thresholds (absent: defaults), with
   * the summaries of its latest `summaries` dosing sessions (absent: the default count).
   */
  mapAndValidate(episode: KapEpisode, clinicId: string, safety?: SafetyOverrides, summaries?: number): Promise<MapAndValidateResult>;
  /**
   * Validates a resource against the KAP profiles (`POST /fhir`, `$validate`), off the event loop when there are
   * threads. Throws as the validator does: an OperationOutcomeError for an outcome, an Error for input it cannot walk.
   */
  validate(resource: Resource, options?: ValidateOptions): Promise<OperationOutcome>;
  /** Loads the profiles in every thread (start-up). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Map + validate in the calling thread. */
export function inThreadProcessor(): EpisodeProcessor {
  return {
    threads: 0,
    mapAndValidate: async (episode, clinicId, safety, summaries) => mapAndValidate(episode, clinicId, safety, summaries),
    validate: async (resource, options) => validationOutcome(validateAsData(resource, options)),
    warm: async () => undefined,
    close: async () => undefined,
  };
}

/**
 * Map + validate on worker threads.
 * @param threads - pool size (≥ 1)
 */
export function threadPoolProcessor(threads: number): EpisodeProcessor {
  const compiled = new URL('./map-and-validate.worker.js', import.meta.url);
  const source = new URL('./map-and-validate.worker.ts', import.meta.url);
  const fromSource = !import.meta.url.endsWith('.js') || !existsSync(fileURLToPath(compiled));
  const pool = new Piscina<MapAndValidateTask, MapAndValidateResult | ValidateTaskResult>({
    filename: (fromSource ? source : compiled).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: fromSource ? ['--import', fileURLToPath(new URL('../../scripts/ts-hooks.ts', import.meta.url))] : [],
  });
  return {
    threads,
    mapAndValidate: (episode, clinicId, safety, summaries) =>
      pool.run({ episode, clinicId, ...(safety ? { safety } : {}), ...(summaries !== undefined ? { summaries } : {}) }) as Promise<MapAndValidateResult>,
    validate: async (resource, options) =>
      validationOutcome((await pool.run({ validate: resource, ...(options ? { options } : {}) })) as ValidateTaskResult),
    async warm() {
      await Promise.all(Array.from({ length: threads }, () => pool.run({ warm: true })));
    },
    close: () => pool.destroy(),
  };
}

/** A validation task's answer as the validator gives it: the outcome, or what it threw. */
function validationOutcome(result: ValidateTaskResult): OperationOutcome {
  if ('outcome' in result) {
    return result.outcome;
  }
  if ('thrown' in result) {
    throw new OperationOutcomeError(result.thrown);
  }
  throw new Error('The validator could not read the resource');
}

/**
 * The processor for a thread count.
 * @param threads - 0 for in-thread, else the pool size
 */
export function episodeProcessor(threads: number): EpisodeProcessor {
  return threads > 0 ? threadPoolProcessor(threads) : inThreadProcessor();
}
