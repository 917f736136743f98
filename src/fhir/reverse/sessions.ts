/**
 * KAP sessions from Encounters, with what hangs off them: the MedicationAdministration (dose part of a
 * dosing session), the Procedure (who sat with the patient), vital-sign (and sedation), body-weight and
 * dissociation Observations, respiratory depression, discharge readiness and plan Observations, and
 * AdverseEvents; for any session its MedicationStatements (medication review) and screening Observations.
 * Returned in chronological order (start, then id); vital signs by time then id, side effects and reviewed
 * medications by id (docs/mapping.md).
 */
import type {
  AdverseEvent,
  Encounter,
  MedicationAdministration,
  MedicationStatement,
  Observation,
  Procedure,
  Reference,
} from '@medplum/fhirtypes';
import type { DosingSession } from '../../kap/dosing-session.js';
import type { Session } from '../../kap/session.js';
import type { SideEffect } from '../../kap/side-effect.js';
import type { VitalSign } from '../../kap/vital-sign.js';
import { fromAdverseEvent } from './adverse-event.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, refId, use, type UnmapContext } from './context.js';
import { ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { fromEncounter, type SessionBase } from './encounter.js';
import { fromDischargeReadiness, fromDosingPlan, fromRespiratoryDepression } from './dosing-observations.js';
import { fromMedicationAdministration, type DosePart } from './medication-administration.js';
import { addMedicationStatement, toMedicationReview, type MedicationReviewDraft } from './medication-statement.js';
import { fromDissociationObservation, fromVitalSignObservation, observationKind } from './observation.js';
import { addScreeningObservation, toScreening, type ScreeningDraft } from './screening.js';
import { byId, byTimeThenId } from './times.js';

/** Where a session is being assembled. */
interface Slot {
  base: SessionBase;
  dose?: DosePart;
  monitoredBy: string[];
  vitals: VitalSign[];
  sideEffects: SideEffect[];
  dissociation?: DosingSession['dissociation'];
  respiratoryDepression?: DosingSession['respiratoryDepression'];
  discharge?: DosingSession['discharge'];
  plan?: DosingSession['plan'];
  medicationReview?: MedicationReviewDraft;
  screening?: ScreeningDraft;
}

/** The single after-dose records of a dosing session, by Observation kind. */
const SINGLE_RECORDS = {
  'respiratory-depression': 'respiratoryDepression',
  'discharge-readiness': 'discharge',
  'dosing-plan': 'plan',
} as const;

/** What the sessions reader needs to know about the rest of the episode. */
export interface SessionScope {
  /** The episode's EpisodeOfCare and Patient entries. */
  episode: IndexedEntry;
  patient: IndexedEntry;
  memberIds: ReadonlySet<string>;
  prescriptionIds: ReadonlySet<string>;
}

function refersTo(ref: Reference | undefined, target: IndexedEntry, ctx: UnmapContext): boolean {
  return ctx.index.resolve(ref) === target;
}

/** True when an Encounter is part of this episode (its EpisodeOfCare, or its patient when it names none). */
function inEpisode(enc: Encounter, scope: SessionScope, ctx: UnmapContext): boolean {
  if (enc.episodeOfCare && enc.episodeOfCare.length > 0) {
    return enc.episodeOfCare.some((r) => refersTo(r, scope.episode, ctx));
  }
  return refersTo(enc.subject, scope.patient, ctx);
}

/**
 * Reads the sessions.
 * @param ctx - the context
 * @param scope - the episode's entries and the ids recovered so far
 * @returns the sessions, and the session id of each Encounter entry (for questionnaire results)
 */
export function fromSessions(
  ctx: UnmapContext,
  scope: SessionScope
): { sessions: Session[]; byEncounter: Map<IndexedEntry, string> } {
  const slots = new Map<IndexedEntry, Slot>();
  const ids = new Set<string>();
  for (const entry of ctx.index.ofType('Encounter')) {
    if (!inEpisode(entry.resource, scope, ctx)) {
      continue; // reported as unrelated at the end
    }
    use(ctx, entry);
    const base = fromEncounter(entry, ctx, scope.memberIds);
    if (!base) {
      continue;
    }
    if (ids.has(base.id)) {
      ignore(ctx, entry, '', 'duplicate');
      continue;
    }
    ids.add(base.id);
    slots.set(entry, { base, monitoredBy: [], vitals: [], sideEffects: [] });
  }
  const slotOf = (ref: Reference | undefined): Slot | undefined => {
    const target = ctx.index.resolve(ref);
    return target ? slots.get(target) : undefined;
  };
  // the session of each MedicationAdministration (for Observations / AdverseEvents tied only to the dose)
  const slotOfDose = new Map<IndexedEntry, Slot>();
  const slotVia = (encounter: Reference | undefined, doses: (Reference | undefined)[]): Slot | undefined => {
    const direct = slotOf(encounter);
    if (direct || encounter !== undefined) {
      return direct;
    }
    for (const d of doses) {
      const target = ctx.index.resolve(d);
      const slot = target ? slotOfDose.get(target) : undefined;
      if (slot) {
        return slot;
      }
    }
    return undefined;
  };

  for (const entry of ctx.index.ofType('MedicationAdministration') as IndexedEntry<MedicationAdministration>[]) {
    const slot = slotOf(entry.resource.context);
    if (slot?.base.kind !== 'dosing') {
      continue;
    }
    use(ctx, entry);
    if (slot.dose) {
      ignore(ctx, entry, '', 'duplicate');
      continue;
    }
    slotOfDose.set(entry, slot);
    slot.dose = fromMedicationAdministration(entry, ctx, scope.memberIds, scope.prescriptionIds);
  }

  for (const entry of ctx.index.ofType('Procedure') as IndexedEntry<Procedure>[]) {
    const slot = slotOf(entry.resource.encounter);
    if (!slot) {
      continue;
    }
    use(ctx, entry);
    if (slot.base.kind === 'dosing') {
      (entry.resource.performer ?? []).forEach((p, i) => {
        const who = refId(p.actor, 'Practitioner', ctx);
        if (who !== undefined && scope.memberIds.has(who) && !slot.monitoredBy.includes(who)) {
          slot.monitoredBy.push(who);
        } else {
          ignore(ctx, entry, `performer[${i}]`, 'unresolved-reference');
        }
      });
    }
    // code (SNOMED psychotherapy + CPT by duration), status and period are derived from the session
    ignoreUnknownExtensions(ctx, entry, entry.resource.extension, '', []);
    ignoreUnreadElements(ctx, entry, ['partOf', 'status', 'code', 'subject', 'encounter', 'performedPeriod', 'performer']);
  }

  for (const entry of ctx.index.ofType('Observation') as IndexedEntry<Observation>[]) {
    const kind = observationKind(entry.resource);
    if (kind === 'instrument-score') {
      use(ctx, entry); // derived from a QuestionnaireResponse
      continue;
    }
    const slot = slotVia(entry.resource.encounter, entry.resource.partOf ?? []);
    if (!slot || ctx.used.has(entry)) {
      continue; // body weight already read with its MedicationAdministration, or reported at the end
    }
    if (kind === undefined) {
      use(ctx, entry);
      ignore(ctx, entry, 'code', 'unknown-code');
      continue;
    }
    if (kind === 'screening') {
      use(ctx, entry); // any session
      slot.screening = addScreeningObservation(entry, slot.screening, ctx);
      continue;
    }
    if (slot.base.kind !== 'dosing' || !slot.dose || kind === 'body-weight') {
      continue; // reported as unrelated at the end
    }
    use(ctx, entry);
    if (kind === 'respiratory-depression' || kind === 'discharge-readiness' || kind === 'dosing-plan') {
      const field = SINGLE_RECORDS[kind];
      if (slot[field] !== undefined) {
        ignore(ctx, entry, '', 'duplicate');
      } else if (kind === 'respiratory-depression') {
        slot.respiratoryDepression = fromRespiratoryDepression(entry, ctx);
      } else if (kind === 'discharge-readiness') {
        slot.discharge = fromDischargeReadiness(entry, slot.dose.doseStart, ctx);
      } else {
        slot.plan = fromDosingPlan(entry, scope.memberIds, ctx);
      }
      continue;
    }
    if (kind === 'dissociation') {
      const d = fromDissociationObservation(entry, ctx);
      if (d && slot.dissociation) {
        ignore(ctx, entry, '', 'duplicate');
      } else if (d) {
        slot.dissociation = d;
      }
      continue;
    }
    const v = fromVitalSignObservation(entry, kind, slot.dose, ctx);
    if (v && slot.vitals.some((x) => x.id === v.id)) {
      ignore(ctx, entry, '', 'duplicate');
    } else if (v) {
      slot.vitals.push(v);
    }
  }

  for (const entry of ctx.index.ofType('AdverseEvent') as IndexedEntry<AdverseEvent>[]) {
    const slot = slotVia(entry.resource.encounter, (entry.resource.suspectEntity ?? []).map((s) => s.instance));
    if (slot?.base.kind !== 'dosing' || !slot.dose) {
      continue;
    }
    use(ctx, entry);
    const e = fromAdverseEvent(entry, ctx);
    if (e && slot.sideEffects.some((x) => x.id === e.id)) {
      ignore(ctx, entry, '', 'duplicate');
    } else if (e) {
      slot.sideEffects.push(e);
    }
  }

  for (const entry of ctx.index.ofType('MedicationStatement') as IndexedEntry<MedicationStatement>[]) {
    const slot = slotOf(entry.resource.context);
    if (!slot) {
      continue; // reported as unrelated at the end
    }
    use(ctx, entry);
    slot.medicationReview = addMedicationStatement(entry, slot.base.id, slot.medicationReview, ctx);
  }

  const sessions: Session[] = [];
  const byEncounter = new Map<IndexedEntry, string>();
  for (const [entry, slot] of slots) {
    const session = toSession(slot, entry, ctx);
    if (session) {
      sessions.push(session);
      byEncounter.set(entry, session.id);
    }
  }
  sessions.sort((a, b) => byTimeThenId({ time: a.start, id: a.id }, { time: b.start, id: b.id }));
  return { sessions, byEncounter };
}

/** The finished session of a slot, or undefined (reported) for a dosing session without its dose. */
function toSession(slot: Slot, entry: IndexedEntry, ctx: UnmapContext): Session | undefined {
  const { dischargedAt, ...base } = slot.base;
  const medicationReview = slot.medicationReview ? toMedicationReview(slot.medicationReview, ctx) : undefined;
  const screening = slot.screening ? toScreening(slot.screening, ctx) : undefined;
  const reviewed = {
    ...(medicationReview !== undefined ? { medicationReview } : {}),
    ...(screening !== undefined ? { screening } : {}),
  };
  if (base.kind !== 'dosing') {
    return { ...base, kind: base.kind, ...reviewed };
  }
  if (!slot.dose) {
    ignore(ctx, entry, '', 'missing-element');
    return undefined;
  }
  const session: DosingSession = {
    ...base,
    kind: 'dosing',
    ...slot.dose,
    // an EHR Bundle without our Procedure: the practitioners present sat with the patient
    monitoredBy: slot.monitoredBy.length > 0 ? slot.monitoredBy : [...base.practitionerIds],
    vitals: [...slot.vitals].sort(byTimeThenId),
    sideEffects: [...slot.sideEffects].sort(byId),
  };
  if (slot.dissociation) {
    session.dissociation = slot.dissociation;
  }
  if (slot.respiratoryDepression) {
    session.respiratoryDepression = slot.respiratoryDepression;
  }
  if (slot.discharge) {
    session.discharge = slot.discharge;
  }
  if (dischargedAt !== undefined) {
    session.dischargedAt = dischargedAt;
  }
  if (slot.plan) {
    session.plan = slot.plan;
  }
  return { ...session, ...reviewed };
}
