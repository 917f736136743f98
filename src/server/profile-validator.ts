/**
 * The KAP profile validator the API uses (src/validation's default validator), with readiness: the
 * package is read on `warm()` at start, the profiles are parsed on first use. Given the episode
 * processor, the validation itself runs where the processor runs (its worker threads: `POST /fhir`
 * Bundles and `$validate` never hold the event loop).
 */
import type { ProfileValidator } from '../api/app-options.js';
import type { EpisodeProcessor } from '../pipeline/episode-processor.js';
import { getDefaultValidator } from '../validation/index.js';

/**
 * The validator over src/validation (call `warm()` at start).
 * @param processor - where to validate (absent: in this thread)
 */
export function kapProfileValidator(processor?: Pick<EpisodeProcessor, 'validate'>): ProfileValidator & { warm(): void } {
  let ready = false;
  return {
    validate(resource, options) {
      return processor ? processor.validate(resource, options) : getDefaultValidator().validate(resource, options);
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
