/**
 * A side effect → FHIR R4 AdverseEvent (`kap-side-effect`): a single identifier (R4) with the side
 * effect's id, actuality actual, event = SNOMED CT finding or `kap-side-effect` code, severity
 * (adverse-event-severity), seriousness (adverse-event-seriousness) and outcome (adverse-event-outcome) when
 * recorded, subject, encounter, date = onset, suspectEntity.instance → the MedicationAdministration. Chosen over Observation: R4 AdverseEvent has severity, suspectEntity and
 * actuality, which is where a prescriber's system files a drug reaction (docs/conventions.md).
 */
import type { AdverseEvent } from '@medplum/fhirtypes';
import type { DosingSession } from '../kap/dosing-session.js';
import type { SideEffect } from '../kap/side-effect.js';
import { coding } from '../terminology/coding.js';
import {
  ADVERSE_EVENT_OUTCOME_CODES,
  ADVERSE_EVENT_SERIOUSNESS_CODES,
  ADVERSE_EVENT_SEVERITIES,
  SIDE_EFFECT_CODES,
} from '../terminology/side-effects.js';
import type { MapContext } from './context.js';
import { metaProfile, PROFILES } from './profiles.js';

/**
 * Maps a side effect of a dosing session to an AdverseEvent.
 * @param effect - the side effect
 * @param session - its dosing session
 * @param ctx - the mapping context
 */
export function toAdverseEvent(effect: SideEffect, session: DosingSession, ctx: MapContext): AdverseEvent {
  return {
    resourceType: 'AdverseEvent',
    meta: metaProfile(PROFILES.sideEffect),
    identifier: ctx.identifier('AdverseEvent', effect.id),
    actuality: 'actual',
    event: { coding: [coding(SIDE_EFFECT_CODES[effect.effect])] },
    subject: ctx.patient,
    encounter: ctx.ref('Encounter', session.id),
    ...(effect.onset !== undefined ? { date: effect.onset } : {}),
    ...(effect.serious !== undefined
      ? { seriousness: { coding: [coding(ADVERSE_EVENT_SERIOUSNESS_CODES[effect.serious ? 'serious' : 'non-serious'])] } }
      : {}),
    severity: { coding: [coding(ADVERSE_EVENT_SEVERITIES[effect.severity])] },
    ...(effect.outcome !== undefined ? { outcome: { coding: [coding(ADVERSE_EVENT_OUTCOME_CODES[effect.outcome])] } } : {}),
    suspectEntity: [{ instance: ctx.ref('MedicationAdministration', session.id) }],
  };
}
