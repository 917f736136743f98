/**
 * FHIR Observations → the after-dose records of a dosing session (inverse of the forward mapping's
 * `kap-respiratory-depression`, `kap-discharge-readiness` and `kap-dosing-plan` Observations, identifiers
 * `<sid>-resp-depression`, `<sid>-discharge`, `<sid>-plan`): respiratory depression observed (valueBoolean, time),
 * readiness for discharge (criteria met, time ready, transport home in a component) and the clinician's plan
 * (recommendation, next dose in a component, note, author = performer, time).
 */
import type { Observation } from '@medplum/fhirtypes';
import type { DischargeReadiness, RespiratoryDepression } from '../../kap/discharge.js';
import type { DosingPlan } from '../../kap/dosing-plan.js';
import { instant, kapNonBlankTextSchema } from '../../kap/primitives.js';
import { DISCHARGE_TRANSPORT_CODES, DOSING_PLAN_CODES } from '../../terminology/dosing-codes.js';
import { KAP_OBSERVATION_CODES } from '../../terminology/local-codes.js';
import { UNIT_MG, UNIT_MG_PER_KG } from '../../terminology/units.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn, keyForConcept } from './codings.js';
import { ignore, refId, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { valueIn } from './dose.js';
import { kapDateTime } from './times.js';

/** The plan's note: at most 2,000 characters (src/kap/dosing-plan.ts). */
const NOTE_MAX = 2000;

const READ = ['status', 'category', 'code', 'subject', 'encounter', 'effectiveDateTime', 'partOf'];

/** Reports what a reader of these Observations did not use. */
function leftovers(entry: IndexedEntry<Observation>, ctx: UnmapContext, read: string[]): void {
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, entry.resource.extension, '', [EXTENSIONS.dosingPhase]);
  ignoreUnreadElements(ctx, entry, [...READ, ...read]);
}

/** The components of an Observation (an EHR's odd shape: not an array → none). */
function components(o: Observation): NonNullable<Observation['component']> {
  return Array.isArray(o.component) ? o.component : [];
}

/**
 * Reads respiratory depression watched for.
 * @param entry - the Observation entry
 * @param ctx - the context
 * @returns the record, or undefined (reported) without a boolean value or a time
 */
export function fromRespiratoryDepression(entry: IndexedEntry<Observation>, ctx: UnmapContext): RespiratoryDepression | undefined {
  const o = entry.resource;
  const time = kapDateTime(o.effectiveDateTime);
  if (typeof o.valueBoolean !== 'boolean' || time === undefined) {
    ignore(ctx, entry, time === undefined ? 'effective' : 'value', 'missing-element');
    return undefined;
  }
  leftovers(entry, ctx, ['valueBoolean']);
  return { observed: o.valueBoolean, time };
}

/**
 * Reads readiness for discharge.
 * @param entry - the Observation entry
 * @param doseStart - the session's dose start (ready before it cannot be kept: episode rule)
 * @param ctx - the context
 * @returns the record, or undefined (reported) without criteria met, time ready or transport
 */
export function fromDischargeReadiness(
  entry: IndexedEntry<Observation>,
  doseStart: string,
  ctx: UnmapContext
): DischargeReadiness | undefined {
  const o = entry.resource;
  const readyAt = kapDateTime(o.effectiveDateTime);
  const parts = components(o);
  const at = parts.findIndex((c) => codingIn(c?.code, KAP_OBSERVATION_CODES.dischargeTransport.system, [KAP_OBSERVATION_CODES.dischargeTransport.code]));
  const transport = at >= 0 ? keyForConcept(parts[at].valueCodeableConcept, DISCHARGE_TRANSPORT_CODES) : undefined;
  if (typeof o.valueBoolean !== 'boolean' || readyAt === undefined || transport === undefined) {
    const path = typeof o.valueBoolean !== 'boolean' ? 'value' : readyAt === undefined ? 'effective' : 'component';
    ignore(ctx, entry, path, at >= 0 && path === 'component' ? 'unknown-code' : 'missing-element');
    return undefined;
  }
  if (instant(readyAt) < instant(doseStart)) {
    ignore(ctx, entry, 'effectiveDateTime', 'invalid-value');
    return undefined;
  }
  parts.forEach((_c, i) => {
    if (i !== at) {
      ignore(ctx, entry, `component[${i}]`, 'unsupported-element');
    }
  });
  leftovers(entry, ctx, ['valueBoolean', 'component']);
  return { criteriaMet: o.valueBoolean, readyAt, transport };
}

/**
 * Reads the clinician's plan.
 * @param entry - the Observation entry
 * @param memberIds - ids of the care team (the author must be one)
 * @param ctx - the context
 * @returns the plan, or undefined (reported) without a recommendation, author or time
 */
export function fromDosingPlan(
  entry: IndexedEntry<Observation>,
  memberIds: ReadonlySet<string>,
  ctx: UnmapContext
): DosingPlan | undefined {
  const o = entry.resource;
  const recommendation = keyForConcept(o.valueCodeableConcept, DOSING_PLAN_CODES);
  const performers = Array.isArray(o.performer) ? o.performer : [];
  const authorId = refId(performers[0], 'Practitioner', ctx);
  const time = kapDateTime(o.effectiveDateTime);
  const required: [unknown, string, 'unknown-code' | 'unresolved-reference' | 'missing-element'][] = [
    [recommendation, 'valueCodeableConcept', 'unknown-code'],
    [authorId !== undefined && memberIds.has(authorId) ? authorId : undefined, 'performer', 'unresolved-reference'],
    [time, 'effective', 'missing-element'],
  ];
  const bad = required.find(([v]) => v === undefined);
  if (bad) {
    ignore(ctx, entry, bad[1], bad[2]);
    return undefined;
  }
  const plan: DosingPlan = { recommendation: recommendation as DosingPlan['recommendation'], authorId: authorId as string, time: time as string };
  components(o).forEach((c, i) => {
    const isDose = codingIn(c?.code, KAP_OBSERVATION_CODES.recommendedDose.system, [KAP_OBSERVATION_CODES.recommendedDose.code]);
    const mg = valueIn(c?.valueQuantity, UNIT_MG.code);
    const mgPerKg = valueIn(c?.valueQuantity, UNIT_MG_PER_KG.code);
    const value = mg ?? mgPerKg;
    if (isDose && plan.nextDose === undefined && value !== undefined && value > 0) {
      plan.nextDose = mg !== undefined ? { unit: 'mg', value: mg } : { unit: 'mg/kg', value };
    } else {
      ignore(ctx, entry, `component[${i}]`, isDose ? 'invalid-value' : 'unsupported-element');
    }
  });
  const notes = Array.isArray(o.note) ? o.note : [];
  notes.forEach((n, i) => {
    const text = i === 0 ? kapNonBlankTextSchema.safeParse(n?.text) : undefined;
    if (text?.success && text.data.length <= NOTE_MAX) {
      plan.note = text.data;
    } else {
      ignore(ctx, entry, `note[${i}]`, i === 0 ? 'invalid-value' : 'unsupported-element');
    }
  });
  performers.slice(1).forEach((_p, i) => ignore(ctx, entry, `performer[${i + 1}]`, 'unsupported-element'));
  leftovers(entry, ctx, ['valueCodeableConcept', 'component', 'note', 'performer']);
  return plan;
}
