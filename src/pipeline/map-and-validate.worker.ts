/**
 * The worker-thread side of `episode-processor.ts` (piscina calls the default export). The validator is
 * loaded once per thread, on the first task or at `warm`.
 */
import type { KapEpisode } from '../kap/episode.js';
import type { SafetyOverrides } from '../safety/index.js';
import { getDefaultValidator } from '../validation/index.js';
import { mapAndValidate, type MapAndValidateResult } from './map-and-validate.js';

/** A task: an episode to map and validate for a clinic (with its safety thresholds), or `warm` to load the profiles. */
export type MapAndValidateTask = { episode: KapEpisode; clinicId: string; safety?: SafetyOverrides } | { warm: true };

/**
 * Runs one task.
 * @param task - the task
 */
export default async function run(task: MapAndValidateTask): Promise<MapAndValidateResult | { ok: true; warm: true }> {
  if ('warm' in task) {
    getDefaultValidator().validate({ resourceType: 'Basic', code: { text: 'warm' } });
    return { ok: true, warm: true };
  }
  return mapAndValidate(task.episode, task.clinicId, task.safety);
}
