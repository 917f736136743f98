/**
 * The KAP episode (docs/kap-model.md): one patient's course of ketamine-assisted psychotherapy at one
 * clinic, with every clinical rule of docs/kap-model.md's last paragraph. `parseEpisode` turns input
 * JSON into a typed episode or an OperationOutcome whose issues name the field (never its value).
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { z } from 'zod';
import { invalidSubmission } from '../outcomes.js';
import { careTeamMemberSchema } from './care-team-member.js';
import { ESKETAMINE_MG_PER_DEVICE } from './dose-form.js';
import { indicationSchema } from './indication.js';
import { EARLIEST_BIRTH_DATE, kapPatientSchema } from './patient.js';
import { prescriptionSchema } from './prescription.js';
import { instant, kapDateTimeSchema, kapIdSchema, kapNonBlankTextSchema, kapPeriodSchema, npiSchema } from './primitives.js';
import { derivedQuestionnaireObservationIds, questionnaireResultSchema } from './questionnaire-result.js';
import { sessionSchema } from './session.js';

/** Episode statuses (a subset of FHIR R4 episode-of-care-status). */
export const EPISODE_STATUSES = ['planned', 'active', 'finished', 'cancelled'] as const;

/** The clinic (FHIR Organization). */
export const clinicSchema = z.strictObject({
  id: kapIdSchema,
  name: kapNonBlankTextSchema,
  npi: npiSchema.optional(),
});
/** The clinic. */
export type Clinic = z.infer<typeof clinicSchema>;

const episodeShape = z.strictObject({
  id: kapIdSchema,
  version: z.int().min(1),
  updatedAt: kapDateTimeSchema,
  status: z.enum(EPISODE_STATUSES),
  period: kapPeriodSchema,
  clinic: clinicSchema,
  patient: kapPatientSchema,
  indications: z.array(indicationSchema).min(1),
  careTeam: z.array(careTeamMemberSchema).min(1),
  prescriptions: z.array(prescriptionSchema).default([]),
  sessions: z.array(sessionSchema).default([]),
  questionnaires: z.array(questionnaireResultSchema).default([]),
});

type EpisodeShape = z.infer<typeof episodeShape>;
type Path = (string | number)[];
type Ctx = z.RefinementCtx<EpisodeShape>;

/** Records an issue at a path (the first message per path wins: a field is named once). */
type Add = (path: Path, message: string) => void;

/** Rejects duplicate ids in a collection, naming the second occurrence's `id`. */
function checkUnique(add: Add, entries: { id: string; path: Path }[], what: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) {
      add([...e.path, 'id'], `Duplicate ${what} id`);
    }
    seen.add(e.id);
  }
}

/** Rejects `end` before `start` (both date-times or both dates). */
function checkOrder(add: Add, start: string, end: string | undefined, path: Path, message: string): void {
  if (end !== undefined && instant(end) < instant(start)) {
    add(path, message);
  }
}

/** The latest calendar date anywhere on Earth now (UTC+14), `YYYY-MM-DD`: later dates are in the future everywhere. */
function latestToday(): string {
  return new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The derived Observation identifier values of a dosing session (docs/mapping-forward.md): they share
 * the Observation identifier space with vital-sign and questionnaire ids.
 */
export function derivedObservationIds(sessionId: string): {
  weight: string;
  dissociation: string;
  respiratoryDepression: string;
  discharge: string;
  plan: string;
} {
  return {
    weight: `${sessionId}-weight`,
    dissociation: `${sessionId}-cadss6`,
    respiratoryDepression: `${sessionId}-resp-depression`,
    discharge: `${sessionId}-discharge`,
    plan: `${sessionId}-plan`,
  };
}

/**
 * The Observation identifier value of a screening item of a session (`none-known` for "none known"); they share
 * the Observation identifier space too.
 */
export function screeningObservationId(sessionId: string, item: string): string {
  return `${sessionId}-screen-${item}`;
}

/** The MedicationStatement identifier value of a reviewed medication of a session (`none` for "none"). */
export function medicationStatementId(sessionId: string, medicationId: string): string {
  return `${sessionId}-med-${medicationId}`;
}

type DosingShape = Extract<EpisodeShape['sessions'][number], { kind: 'dosing' }>;

/** Form and strength belong to racemic ketamine (esketamine's are its RxNorm product's). */
function productFormRules(x: { product: string; form?: unknown; strength?: unknown }, at: Path, add: Add): void {
  if (x.product !== 'ketamine') {
    if (x.form !== undefined) {
      add([...at, 'form'], 'Only racemic ketamine carries a form (esketamine is its RxNorm product)');
    }
    if (x.strength !== undefined) {
      add([...at, 'strength'], 'Only racemic ketamine carries a strength (esketamine is its RxNorm product)');
    }
  }
}

/** The dose's status and reason agree; esketamine devices × 28 mg is the dose; form and strength by product. */
function doseRules(s: DosingShape, at: Path, add: Add): void {
  productFormRules(s, at, add);
  if (s.doseStatus === 'given' && s.doseStatusReason !== undefined) {
    add([...at, 'doseStatusReason'], 'A reason is recorded only for a dose held, partly given or refused');
  } else if (s.doseStatus !== 'given' && s.doseStatusReason === undefined) {
    add([...at, 'doseStatusReason'], 'A dose held, partly given or refused needs a reason');
  } else if ((s.doseStatus === 'refused') !== (s.doseStatusReason === 'patient-refused') && s.doseStatus !== 'partial') {
    // FHIR R4 has one `not-done` for both: the reason tells a refused dose from a held one (docs/mapping.md §3)
    add([...at, 'doseStatusReason'], 'A refused dose has the reason patient-refused, a held dose another reason');
  }
  if (s.deviceCount !== undefined) {
    if (s.product !== 'esketamine') {
      add([...at, 'deviceCount'], 'Nasal spray devices are counted for esketamine only');
    } else if (s.dose.unit !== 'mg' || s.dose.value !== s.deviceCount * ESKETAMINE_MG_PER_DEVICE) {
      add([...at, 'deviceCount'], `The dose is not the devices used × ${ESKETAMINE_MG_PER_DEVICE} mg`);
    }
  }
}

function episodeRules(ep: EpisodeShape, ctx: Ctx): void {
  const issues = new Map<string, { path: Path; message: string }>();
  const add: Add = (path, message) => {
    const key = JSON.stringify(path);
    if (!issues.has(key)) {
      issues.set(key, { path, message });
    }
  };
  collectIssues(ep, add);
  for (const { path, message } of issues.values()) {
    ctx.addIssue({ code: 'custom', path, message });
  }
}

function collectIssues(ep: EpisodeShape, add: Add): void {
  checkOrder(add, ep.period.start, ep.period.end, ['period', 'end'], 'Episode end is before its start');
  if (ep.patient.birthDate > latestToday()) {
    add(['patient', 'birthDate'], 'Birth date is in the future');
  } else if (ep.patient.birthDate < EARLIEST_BIRTH_DATE) {
    add(['patient', 'birthDate'], `Birth date is before ${EARLIEST_BIRTH_DATE}`);
  }

  checkUnique(add, ep.indications.map((x, i) => ({ id: x.id, path: ['indications', i] })), 'indication');
  checkUnique(add, ep.careTeam.map((x, i) => ({ id: x.id, path: ['careTeam', i] })), 'care team member');
  checkUnique(add, ep.prescriptions.map((x, i) => ({ id: x.id, path: ['prescriptions', i] })), 'prescription');
  checkUnique(add, ep.sessions.map((x, i) => ({ id: x.id, path: ['sessions', i] })), 'session');
  checkUnique(add, ep.questionnaires.map((x, i) => ({ id: x.id, path: ['questionnaires', i] })), 'questionnaire');

  const members = new Map(ep.careTeam.map((m) => [m.id, m]));
  const prescriptionIds = new Set(ep.prescriptions.map((p) => p.id));
  const sessionIds = new Set(ep.sessions.map((s) => s.id));
  const member = (id: string, path: Path): void => {
    if (!members.has(id)) {
      add(path, 'No care team member with this id');
    }
  };

  ep.prescriptions.forEach((p, i) => {
    productFormRules(p, ['prescriptions', i], add);
    const prescriber = members.get(p.prescriberId);
    if (!prescriber) {
      add(['prescriptions', i, 'prescriberId'], 'No care team member with this id');
    } else if (!prescriber.roles.includes('prescriber')) {
      add(['prescriptions', i, 'prescriberId'], 'Care team member is not a prescriber');
    }
    if (p.validity.end !== undefined && p.validity.end < p.validity.start) {
      add(['prescriptions', i, 'validity', 'end'], 'Validity end is before its start');
    }
  });

  // Observation and AdverseEvent identifier values must be unique across the episode (one identifier
  // space per resource type, docs/conventions.md): vitals, questionnaire totals, weights, dissociation.
  const observationIds: { id: string; path: Path }[] = ep.questionnaires.flatMap((q, i) =>
    [q.id, ...derivedQuestionnaireObservationIds(q)].map((id) => ({ id, path: ['questionnaires', i] }))
  );
  const sideEffectIds: { id: string; path: Path }[] = [];

  ep.sessions.forEach((s, i) => {
    const at: Path = ['sessions', i];
    checkOrder(add, s.start, s.end, [...at, 'end'], 'Session end is before its start');
    s.practitionerIds.forEach((id, j) => member(id, [...at, 'practitionerIds', j]));
    if (s.screening) {
      const items = [...Object.keys(s.screening.findings), ...(s.screening.noneKnown ? ['none-known'] : [])];
      items.forEach((item) => observationIds.push({ id: screeningObservationId(s.id, item), path: [...at, 'screening'] }));
    }
    if (s.kind !== 'dosing') {
      return;
    }
    if (!prescriptionIds.has(s.prescriptionId)) {
      add([...at, 'prescriptionId'], 'No prescription with this id');
    }
    member(s.administeredBy, [...at, 'administeredBy']);
    s.monitoredBy.forEach((id, j) => member(id, [...at, 'monitoredBy', j]));
    checkOrder(add, s.doseStart, s.doseEnd, [...at, 'doseEnd'], 'Dose end is before the dose start');
    checkOrder(add, s.doseStart, s.dischargedAt, [...at, 'dischargedAt'], 'Discharge is before the dose start');
    doseRules(s, at, add);
    if (s.plan) {
      member(s.plan.authorId, [...at, 'plan', 'authorId']);
    }
    if (s.discharge) {
      checkOrder(add, s.doseStart, s.discharge.readyAt, [...at, 'discharge', 'readyAt'], 'Ready for discharge before the dose start');
    }
    const derived = derivedObservationIds(s.id);
    if (s.dose.bodyWeightKg !== undefined) {
      observationIds.push({ id: derived.weight, path: at });
    }
    if (s.dissociation) {
      observationIds.push({ id: derived.dissociation, path: at });
    }
    if (s.respiratoryDepression) {
      observationIds.push({ id: derived.respiratoryDepression, path: [...at, 'respiratoryDepression'] });
    }
    if (s.discharge) {
      observationIds.push({ id: derived.discharge, path: [...at, 'discharge'] });
    }
    if (s.plan) {
      observationIds.push({ id: derived.plan, path: [...at, 'plan'] });
    }
    s.vitals.forEach((v, j) => observationIds.push({ id: v.id, path: [...at, 'vitals', j] }));
    s.sideEffects.forEach((e, j) => sideEffectIds.push({ id: e.id, path: [...at, 'sideEffects', j] }));
  });
  checkUnique(add, observationIds, 'observation (vital sign, questionnaire or derived)');
  checkUnique(add, sideEffectIds, 'side effect');

  ep.questionnaires.forEach((q, i) => {
    if (q.sessionId !== undefined && !sessionIds.has(q.sessionId)) {
      add(['questionnaires', i, 'sessionId'], 'No session with this id');
    }
  });
}

/** The KAP episode schema: shape + the clinical rules of docs/kap-model.md. */
export const kapEpisodeSchema = episodeShape.superRefine(episodeRules);
/** A parsed, valid KAP episode (arrays defaulted, answers normalised). */
export type KapEpisode = z.infer<typeof kapEpisodeSchema>;
/** KAP episode input as a clinic may send it. */
export type KapEpisodeInput = z.input<typeof kapEpisodeSchema>;

/** Result of {@link parseEpisode}. */
export type ParseEpisodeResult = { ok: true; episode: KapEpisode } | { ok: false; outcome: OperationOutcome };

/**
 * Parses and validates a KAP episode.
 * @param json - the parsed JSON value
 * @returns the episode, or an OperationOutcome (issues name fields, never values)
 */
export function parseEpisode(json: unknown): ParseEpisodeResult {
  const result = kapEpisodeSchema.safeParse(json);
  if (result.success) {
    return { ok: true, episode: result.data };
  }
  return { ok: false, outcome: invalidSubmission(result.error) };
}
