/**
 * FHIR MedicationStatements → the medication review of a session (inverse of the forward mapping's
 * `kap-medication-statement`, one per medication with identifier `medicationStatementId(sid, medId)`, context = the
 * session's Encounter): class from `kap-medication-class`, name = the concept's text, status, `reviewedAt` =
 * dateAsserted (else effectiveDateTime). IPS `no-known-medications` → `none: true`. Medications come back sorted by
 * id (docs/mapping.md §3). The medication id is the identifier's local id without the `<sid>-med-` prefix.
 */
import type { MedicationStatement } from '@medplum/fhirtypes';
import { medicationStatementId } from '../../kap/episode.js';
import {
  MEDICATION_USE_STATUSES,
  type MedicationReview,
  type MedicationUse,
} from '../../kap/medication-review.js';
import { kapIdSchema, kapNonBlankTextSchema } from '../../kap/primitives.js';
import { MEDICATION_CLASS_CODES, NO_KNOWN_MEDICATIONS } from '../../terminology/medication-review-codes.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn, keyForConcept } from './codings.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { byId, kapDateTime } from './times.js';

/** A medication's name: at most 200 characters (src/kap/medication-review.ts). */
const NAME_MAX = 200;

/** A medication review being assembled from its MedicationStatements. */
export interface MedicationReviewDraft {
  reviewedAt?: string;
  none?: IndexedEntry<MedicationStatement>;
  medications: MedicationUse[];
}

type UseStatus = MedicationUse['status'];

/** The KAP status of an R4 MedicationStatement status (`completed` = no longer taken). */
function statusOf(status: string | undefined): UseStatus | undefined {
  if (status === 'completed') {
    return 'stopped';
  }
  return MEDICATION_USE_STATUSES.includes(status as UseStatus) ? (status as UseStatus) : undefined;
}

/**
 * Adds one MedicationStatement to the session's draft.
 * @param entry - the MedicationStatement entry
 * @param sessionId - the session's id (to take the `<sid>-med-` prefix off the identifier)
 * @param draft - the session's review so far (created on first use)
 * @param ctx - the context
 * @returns the draft
 */
export function addMedicationStatement(
  entry: IndexedEntry<MedicationStatement>,
  sessionId: string,
  draft: MedicationReviewDraft | undefined,
  ctx: UnmapContext
): MedicationReviewDraft | undefined {
  const ms = entry.resource;
  const reviewedAt = kapDateTime(ms.dateAsserted) ?? kapDateTime(ms.effectiveDateTime);
  const none = codingIn(ms.medicationCodeableConcept, NO_KNOWN_MEDICATIONS.system, [NO_KNOWN_MEDICATIONS.code]) !== undefined;
  const klass = keyForConcept(ms.medicationCodeableConcept, MEDICATION_CLASS_CODES);
  const status = statusOf(ms.status);
  const kapId = kapIdOf(entry, ctx);
  const prefix = medicationStatementId(sessionId, '');
  const id = kapId?.startsWith(prefix) && kapId.length > prefix.length ? kapId.slice(prefix.length) : kapId;
  const required: [unknown, string, 'missing-element' | 'unknown-code' | 'invalid-value'][] = [
    [none || (id !== undefined && kapIdSchema.safeParse(id).success) ? true : undefined, '', 'missing-element'],
    [reviewedAt, 'dateAsserted', 'missing-element'],
    [none || klass !== undefined ? true : undefined, 'medicationCodeableConcept', 'unknown-code'],
    [none || status !== undefined ? true : undefined, 'status', 'invalid-value'],
  ];
  const bad = required.find(([v]) => v === undefined);
  if (bad) {
    ignore(ctx, entry, bad[1], bad[2]);
    return draft;
  }
  const next: MedicationReviewDraft = draft ?? { reviewedAt, medications: [] };
  if (none) {
    if (next.none) {
      ignore(ctx, entry, '', 'duplicate');
      return next;
    }
    next.none = entry;
  } else if (next.medications.some((m) => m.id === id)) {
    ignore(ctx, entry, '', 'duplicate');
    return next;
  } else {
    const med: MedicationUse = { id: id as string, class: klass as MedicationUse['class'], status: status as UseStatus };
    const name = ms.medicationCodeableConcept?.text;
    if (name !== undefined) {
      const parsed = kapNonBlankTextSchema.safeParse(name);
      if (parsed.success && parsed.data.length <= NAME_MAX) {
        med.name = parsed.data;
      } else {
        ignore(ctx, entry, 'medicationCodeableConcept', 'invalid-value');
      }
    }
    next.medications.push(med);
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, ms.extension, '', []);
  ignoreUnreadElements(ctx, entry, ['status', 'medicationCodeableConcept', 'subject', 'context', 'dateAsserted', 'effectiveDateTime']);
  return next;
}

/**
 * The medication review of a finished draft: "none" beside listed medications cannot be kept (schema rule), so
 * "none" is then dropped and reported.
 * @param draft - the draft
 * @param ctx - the context
 */
export function toMedicationReview(draft: MedicationReviewDraft, ctx: UnmapContext): MedicationReview | undefined {
  if (draft.reviewedAt === undefined) {
    return undefined;
  }
  if (draft.none && draft.medications.length > 0) {
    ignore(ctx, draft.none, 'medicationCodeableConcept', 'invalid-value');
  } else if (draft.none) {
    return { reviewedAt: draft.reviewedAt, none: true, medications: [] };
  }
  if (draft.medications.length === 0) {
    return undefined;
  }
  return { reviewedAt: draft.reviewedAt, none: false, medications: [...draft.medications].sort(byId) };
}
