/**
 * The KAP profile validator the API uses (src/validation's default validator), with readiness: the
 * package is read on `warm()` at start, the profiles are parsed on first use.
 */
import type { ProfileValidator } from '../api/app-options.js';
import { getDefaultValidator } from '../validation/index.js';

/** The validator over src/validation (call `warm()` at start). */
export function kapProfileValidator(): ProfileValidator & { warm(): void } {
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
