/**
 * An indication → FHIR R4 Condition (`kap-condition`): ICD-10-CM code (clinical-codes.md §6), the
 * `kap-condition-qualifier#treatment-resistant` extension when flagged, clinicalStatus active,
 * verificationStatus confirmed, category problem-list-item, onsetDateTime = onsetDate.
 */
import type { Condition } from '@medplum/fhirtypes';
import type { Indication } from '../kap/indication.js';
import { coding } from '../terminology/coding.js';
import {
  CONDITION_ACTIVE,
  CONDITION_CONFIRMED,
  CONDITION_PROBLEM_LIST_ITEM,
  indicationCoding,
} from '../terminology/conditions.js';
import { TREATMENT_RESISTANT } from '../terminology/local-codes.js';
import type { MapContext } from './context.js';
import { EXTENSIONS, metaProfile, PROFILES } from './profiles.js';

/**
 * Maps an indication to a Condition.
 * @param indication - the indication
 * @param ctx - the mapping context
 */
export function toCondition(indication: Indication, ctx: MapContext): Condition {
  return {
    resourceType: 'Condition',
    meta: metaProfile(PROFILES.condition),
    ...(indication.treatmentResistant
      ? {
          extension: [
            { url: EXTENSIONS.conditionQualifier, valueCodeableConcept: { coding: [coding(TREATMENT_RESISTANT)] } },
          ],
        }
      : {}),
    identifier: [ctx.identifier('Condition', indication.id)],
    clinicalStatus: { coding: [coding(CONDITION_ACTIVE)] },
    verificationStatus: { coding: [coding(CONDITION_CONFIRMED)] },
    category: [{ coding: [coding(CONDITION_PROBLEM_LIST_ITEM)] }],
    code: { coding: [coding(indicationCoding(indication.code))] },
    subject: ctx.patient,
    ...(indication.onsetDate !== undefined ? { onsetDateTime: indication.onsetDate } : {}),
  };
}
