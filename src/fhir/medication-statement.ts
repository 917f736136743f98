/**
 * The current-medication review of a session (any kind) → FHIR R4 MedicationStatements (`kap-medication-statement`):
 * one per medication (identifier `medicationStatementId(sessionId, medication id)`, status = the medication's,
 * medicationCodeableConcept = `kap-medication-class` coding with the name as text when given), or for "none" one
 * statement `medicationStatementId(sessionId, 'none')`, status active, IPS `no-known-medications`. Each: subject,
 * context → the session Encounter, effectiveDateTime and dateAsserted = reviewedAt. No review → none (not asked
 * differs from "none").
 */
import type { CodeableConcept, MedicationStatement } from '@medplum/fhirtypes';
import { medicationStatementId } from '../kap/episode.js';
import type { MedicationReview } from '../kap/medication-review.js';
import type { Session } from '../kap/session.js';
import { coding } from '../terminology/coding.js';
import { MEDICATION_CLASS_CODES, NO_KNOWN_MEDICATIONS } from '../terminology/medication-review-codes.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/** The local id of the "no known medications" statement. */
export const NO_MEDICATIONS_ID = 'none';

/** One statement of a review. */
function statement(
  session: Session,
  review: MedicationReview,
  localId: string,
  status: MedicationStatement['status'],
  medication: CodeableConcept,
  ctx: MapContext
): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    meta: metaProfile(PROFILES.medicationStatement),
    identifier: [ctx.identifier('MedicationStatement', medicationStatementId(session.id, localId))],
    status,
    medicationCodeableConcept: medication,
    subject: ctx.patient,
    context: ctx.ref('Encounter', session.id),
    effectiveDateTime: review.reviewedAt,
    dateAsserted: review.reviewedAt,
  };
}

/**
 * Maps a session's medication review to MedicationStatements ([] when the session has no review).
 * @param session - any session
 * @param ctx - the mapping context
 */
export function toMedicationStatements(session: Session, ctx: MapContext): MedicationStatement[] {
  const review = session.medicationReview;
  if (!review) {
    return [];
  }
  if (review.none) {
    return [statement(session, review, NO_MEDICATIONS_ID, 'active', { coding: [coding(NO_KNOWN_MEDICATIONS)] }, ctx)];
  }
  return review.medications.map((m) =>
    statement(
      session,
      review,
      m.id,
      m.status,
      { coding: [coding(MEDICATION_CLASS_CODES[m.class])], ...(m.name !== undefined ? { text: m.name } : {}) },
      ctx
    )
  );
}
