/**
 * FHIR screening Observations → the screening of a session (inverse of the forward mapping's `kap-screening`
 * Observations, one per item, identifier `screeningObservationId(sid, item)`): code `kap-screening#<item>`,
 * `valueBoolean` true → present, false → absent, `dataAbsentReason` → unknown; `kap-screening#none-known` with
 * `valueBoolean: true` → `noneKnown`. `screenedAt` is the effective time (the first item's when they differ).
 */
import type { Observation } from '@medplum/fhirtypes';
import { SCREENING_ITEMS, type Screening, type ScreeningItem, type ScreeningResult } from '../../kap/screening.js';
import { SCREENING_CODES } from '../../terminology/screening-codes.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { keyForConcept } from './codings.js';
import { ignore, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { kapDateTime } from './times.js';

/** A screening being assembled from its Observations. */
export interface ScreeningDraft {
  screenedAt?: string;
  noneKnown: boolean;
  findings: Partial<Record<ScreeningItem, ScreeningResult>>;
  /** The entry of the "none known" Observation (reported if an item turns out present). */
  noneKnownEntry?: IndexedEntry<Observation>;
}

/** The result of one item's Observation, or undefined when it has none a screening can hold. */
function resultOf(o: Observation): ScreeningResult | undefined {
  if (typeof o.valueBoolean === 'boolean') {
    return o.valueBoolean ? 'present' : 'absent';
  }
  return o.dataAbsentReason !== undefined ? 'unknown' : undefined;
}

/**
 * Adds one screening Observation to the session's draft.
 * @param entry - the Observation entry (its code is in `kap-screening`)
 * @param draft - the session's screening so far (created on first use)
 * @param ctx - the context
 * @returns the draft
 */
export function addScreeningObservation(
  entry: IndexedEntry<Observation>,
  draft: ScreeningDraft | undefined,
  ctx: UnmapContext
): ScreeningDraft | undefined {
  const o = entry.resource;
  const item = keyForConcept(o.code, SCREENING_CODES);
  const time = kapDateTime(o.effectiveDateTime);
  const result = resultOf(o);
  if (item === undefined || time === undefined || result === undefined) {
    ignore(ctx, entry, item === undefined ? 'code' : time === undefined ? 'effective' : 'value', item === undefined ? 'unknown-code' : 'missing-element');
    return draft;
  }
  const next: ScreeningDraft = draft ?? { screenedAt: time, noneKnown: false, findings: {} };
  if (item === 'none-known') {
    if (result !== 'present' || next.noneKnown) {
      ignore(ctx, entry, '', result !== 'present' ? 'invalid-value' : 'duplicate');
      return next;
    }
    next.noneKnown = true;
    next.noneKnownEntry = entry;
  } else if (next.findings[item] !== undefined) {
    ignore(ctx, entry, '', 'duplicate');
    return next;
  } else {
    next.findings[item] = result;
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, o.extension, '', [EXTENSIONS.dosingPhase]);
  ignoreUnreadElements(ctx, entry, [
    'status',
    'category',
    'code',
    'subject',
    'encounter',
    'effectiveDateTime',
    'partOf',
    'valueBoolean',
    'dataAbsentReason',
  ]);
  return next;
}

/**
 * The screening of a finished draft: "none known" with an item present cannot be kept (schema rule), so "none
 * known" is then dropped and reported.
 * @param draft - the draft
 * @param ctx - the context
 */
export function toScreening(draft: ScreeningDraft, ctx: UnmapContext): Screening | undefined {
  const present = Object.values(draft.findings).includes('present');
  if (draft.noneKnown && present && draft.noneKnownEntry) {
    ignore(ctx, draft.noneKnownEntry, 'valueBoolean', 'invalid-value');
    draft.noneKnown = false;
  }
  if (draft.screenedAt === undefined || (!draft.noneKnown && Object.keys(draft.findings).length === 0)) {
    return undefined;
  }
  // items in the order of the KAP enumeration (stable, whatever the Bundle's order)
  const findings: Screening['findings'] = {};
  for (const item of SCREENING_ITEMS) {
    const r = draft.findings[item];
    if (r !== undefined) {
      findings[item] = r;
    }
  }
  return { screenedAt: draft.screenedAt, noneKnown: draft.noneKnown, findings };
}
