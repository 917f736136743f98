/**
 * Binds the API's ports (src/api/ports.ts) to the real modules: `src/kap` (parse), `src/fhir`
 * (map), `src/validation` (profiles). The sync engine is bound in sync-adapter.ts.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { EpisodePort, KapEpisodeLike, ValidationPort } from '../api/ports.js';
import { mapEpisode } from '../fhir/index.js';
import { unmapBundle } from '../fhir/reverse/index.js';
import { issue, OperationOutcomeError, outcome } from '../outcomes.js';
import { kapEpisodeSchema, parseEpisode, questionnaireResultSchema, sessionSchema, type KapEpisode } from '../kap/index.js';
import { detectSignals, signalEntries } from '../safety/index.js';
import { getDefaultValidator } from '../validation/index.js';

/**
 * Adds the episode's safety signals (DetectedIssue + Communication, src/safety) to its Bundle,
 * before the Provenance: the EHR files them with the episode, the alerts queue sends them on.
 * @param bundle - the mapped episode Bundle
 */
export function withSignals(bundle: Bundle): Bundle {
  const entries = signalEntries(bundle, detectSignals(bundle));
  if (entries.length === 0) {
    return bundle;
  }
  const all = [...(bundle.entry ?? [])];
  const last = all.at(-1);
  const tail = last?.resource?.resourceType === 'Provenance' ? [all.pop() as NonNullable<typeof last>] : [];
  return { ...bundle, entry: [...all, ...entries, ...tail] };
}

/** The episode port over src/kap and src/fhir. */
export function episodePort(): EpisodePort {
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
      const e = episode as unknown as KapEpisode;
      const bundle = mapEpisode({ ...e, clinic: { ...e.clinic, id: clinicId } });
      return withSignals(bundle);
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
