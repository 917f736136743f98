/**
 * Binds the API's ports (src/api/ports.ts) to the real modules: `src/kap` (parse), `src/fhir`
 * (map), `src/validation` (profiles). The sync engine is bound in sync-adapter.ts.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { EpisodePort, KapEpisodeLike, ValidationPort } from '../api/ports.js';
import { unmapBundle } from '../fhir/reverse/index.js';
import { issue, OperationOutcomeError, outcome } from '../outcomes.js';
import { kapEpisodeSchema, parseEpisode, questionnaireResultSchema, sessionSchema, type KapEpisode } from '../kap/index.js';
import { inThreadProcessor, type EpisodeProcessor } from '../pipeline/episode-processor.js';
import { mapClinicEpisode } from '../pipeline/map-and-validate.js';
import { getDefaultValidator } from '../validation/index.js';

/**
 * The episode port over src/kap, src/fhir and src/pipeline.
 * @param processor - where map + validate runs (default: the calling thread)
 */
export function episodePort(processor: EpisodeProcessor = inThreadProcessor()): EpisodePort {
  return {
    schema: kapEpisodeSchema,
    sessionSchema,
    questionnaireSchema: questionnaireResultSchema,
    parse(body) {
      const r = parseEpisode(body);
      return r.ok ? { ok: true, value: r.episode as unknown as KapEpisodeLike } : { ok: false, outcome: r.outcome };
    },
    fromBundle(bundle) {
      try {
        const { episode } = unmapBundle(bundle);
        return { ok: true, value: episode as unknown as KapEpisodeLike };
      } catch (err) {
        if (err instanceof OperationOutcomeError) {
          return { ok: false, outcome: err.outcome };
        }
        // Any other error is malformed input the reverse mapping tripped over (a list that is no
        // array, a null element…): a refusal with fixed text, never the error's message.
        return {
          ok: false,
          outcome: outcome([
            issue('error', 'structure', 'The Bundle cannot be read back into a KAP episode: an element has the wrong JSON type', 'Bundle'),
          ]),
        };
      }
    },
    map(episode, clinicId): Bundle {
      return mapClinicEpisode(episode as unknown as KapEpisode, clinicId);
    },
    mapAndValidate(episode, clinicId) {
      return processor.mapAndValidate(episode as unknown as KapEpisode, clinicId);
    },
  };
}

/** The validation port over src/validation (the package is loaded on first use: call `warm()` at start). */
export function validationPort(): ValidationPort & { warm(): void } {
  let ready = false;
  return {
    validate(resource, options) {
      return getDefaultValidator().validate(resource, options);
    },
    loaded() {
      return ready;
    },
    warm() {
      getDefaultValidator();
      ready = true;
    },
  };
}
