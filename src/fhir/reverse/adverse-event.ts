/**
 * FHIR AdverseEvent → a KAP side effect (inverse of src/fhir/adverse-event.ts): effect from the SNOMED
 * CT finding or `kap-side-effect` code, severity (adverse-event-severity), onset = date, `serious` from
 * seriousness (adverse-event-seriousness), outcome (adverse-event-outcome; `resolvedWithSequelae` →
 * `resolved-with-sequelae`).
 */
import type { AdverseEvent } from '@medplum/fhirtypes';
import type { SideEffect } from '../../kap/side-effect.js';
import {
  ADVERSE_EVENT_OUTCOME_CODES,
  ADVERSE_EVENT_SERIOUSNESS_CODES,
  ADVERSE_EVENT_SEVERITIES,
  SIDE_EFFECT_CODES,
} from '../../terminology/side-effects.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { keyForConcept } from './codings.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { kapDateTime } from './times.js';

/**
 * Reads a side effect.
 * @param entry - the AdverseEvent entry
 * @param ctx - the context
 * @returns the side effect, or undefined (reported) when its event or severity is not a KAP code
 */
export function fromAdverseEvent(entry: IndexedEntry<AdverseEvent>, ctx: UnmapContext): SideEffect | undefined {
  const ae = entry.resource;
  const id = kapIdOf(entry, ctx);
  const effect = keyForConcept(ae.event, SIDE_EFFECT_CODES);
  const severity = keyForConcept(ae.severity, ADVERSE_EVENT_SEVERITIES);
  if (id === undefined || effect === undefined || severity === undefined) {
    if (id === undefined) {
      ignore(ctx, entry, '', 'missing-element');
    } else {
      ignore(ctx, entry, effect === undefined ? 'event' : 'severity', 'unknown-code');
    }
    return undefined;
  }
  const result: SideEffect = { id, effect, severity };
  const onset = kapDateTime(ae.date);
  if (onset !== undefined) {
    result.onset = onset;
  } else if (ae.date !== undefined) {
    ignore(ctx, entry, 'date', 'invalid-value');
  }
  if (ae.seriousness !== undefined) {
    const serious = keyForConcept(ae.seriousness, ADVERSE_EVENT_SERIOUSNESS_CODES);
    if (serious !== undefined) {
      result.serious = serious === 'serious';
    } else {
      ignore(ctx, entry, 'seriousness', 'unknown-code');
    }
  }
  if (ae.outcome !== undefined) {
    const outcome = keyForConcept(ae.outcome, ADVERSE_EVENT_OUTCOME_CODES);
    if (outcome !== undefined) {
      result.outcome = outcome;
    } else {
      ignore(ctx, entry, 'outcome', 'unknown-code');
    }
  }
  ignoreUnknownExtensions(ctx, entry, ae.extension, '', []);
  ignoreUnreadElements(ctx, entry, [
    'actuality',
    'event',
    'subject',
    'encounter',
    'date',
    'severity',
    'seriousness',
    'outcome',
    'suspectEntity',
  ]);
  return result;
}
