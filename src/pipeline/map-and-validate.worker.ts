/**
 * The worker-thread side of `episode-processor.ts` (piscina calls the default export). The validator is
 * loaded once per thread, on the first task or at `warm`.
 */
import { OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { KapEpisode } from '../kap/episode.js';
import type { SafetyOverrides } from '../safety/index.js';
import { getDefaultValidator } from '../validation/index.js';
import type { ValidateOptions } from '../validation/validator.js';
import { mapAndValidate, type MapAndValidateResult } from './map-and-validate.js';

/**
 * A task: an episode to map and validate for a clinic (with its safety thresholds), a resource to validate
 * (`POST /fhir`, `$validate`), or `warm` to load the profiles.
 */
export type MapAndValidateTask =
  | { episode: KapEpisode; clinicId: string; safety?: SafetyOverrides; summaries?: number }
  | { validate: Resource; options?: ValidateOptions }
  | { warm: true };

/**
 * What a validation task answers: the outcome, the outcome of an OperationOutcomeError (a class does not
 * cross threads: the caller throws it again), or `failed` when the validator threw anything else (input
 * it cannot walk; nothing of the error is carried, it may quote the input).
 */
export type ValidateTaskResult = { outcome: OperationOutcome } | { thrown: OperationOutcome } | { failed: true };

/**
 * Validates a resource, its exceptions as data.
 * @param resource - the resource
 * @param options - the profile to apply
 */
export function validateAsData(resource: Resource, options?: ValidateOptions): ValidateTaskResult {
  try {
    return { outcome: getDefaultValidator().validate(resource, options) };
  } catch (err) {
    return err instanceof OperationOutcomeError ? { thrown: err.outcome } : { failed: true };
  }
}

/**
 * Runs one task.
 * @param task - the task
 */
export default async function run(
  task: MapAndValidateTask
): Promise<MapAndValidateResult | ValidateTaskResult | { ok: true; warm: true }> {
  if ('validate' in task) {
    return validateAsData(task.validate, task.options);
  }
  if ('warm' in task) {
    getDefaultValidator().validate({ resourceType: 'Basic', code: { text: 'warm' } });
    return { ok: true, warm: true };
  }
  return mapAndValidate(task.episode, task.clinicId, task.safety, task.summaries);
}
