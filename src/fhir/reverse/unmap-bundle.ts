/**
 * FHIR → KAP, the way back (docs/mapping.md): a Bundle made by `mapEpisode` maps back to the equal KAP
 * episode; a Bundle from an EHR (searchset, collection, server ids, extra or missing optional data)
 * maps back to what can be recovered, with the list of what was ignored. Derived data (score
 * Observations, CPT codes, Provenance, safety signals) is recognised and skipped, not "ignored".
 */
import type {
  Bundle,
  CareTeam,
  Condition,
  EpisodeOfCare,
  MedicationRequest,
  Organization,
  Patient,
  Practitioner,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';
import { kapEpisodeSchema, type KapEpisode } from '../../kap/episode.js';
import type { Indication } from '../../kap/indication.js';
import type { Prescription } from '../../kap/prescription.js';
import type { QuestionnaireResult } from '../../kap/questionnaire-result.js';
import { invalidSubmission, issue, OperationOutcomeError, outcome } from '../../outcomes.js';
import { clinicIdentifierSystem, KAP_CANONICAL } from '../../terminology/systems.js';
import type { BundleIndex, IndexedEntry } from '../../bundle-index.js';
import { SafeBundleIndex } from './safe-index.js';
import { fromCareTeam } from './care-team.js';
import { fromCondition } from './condition.js';
import { ignore, ownIdentifier, use, type UnmapContext } from './context.js';
import { isDerived } from './derived.js';
import { fromEpisodeOfCare } from './episode-of-care.js';
import { IgnoredList, type Ignored } from './ignored.js';
import { fromMedicationRequest } from './medication-request.js';
import { fromOrganization } from './organization.js';
import { fromPatient } from './patient.js';
import { fromQuestionnaireResponse } from './questionnaire-response.js';
import { fromSessions } from './sessions.js';
import { byTimeThenId } from './times.js';

/** The result of the way back. */
export interface UnmapResult {
  /** The recovered episode, parsed by the KAP schema (so it is valid and normalised). */
  episode: KapEpisode;
  /** What could not be recovered (resource type, location, reason; never a value). */
  ignored: Ignored[];
}

/** Resource types the KAP mapping makes (anything else is `unsupported-resource`). */
const KAP_TYPES = new Set<string>([
  'Organization', 'Practitioner', 'Patient', 'CareTeam', 'Condition', 'EpisodeOfCare', 'MedicationRequest',
  'Encounter', 'MedicationAdministration', 'MedicationStatement', 'Procedure', 'QuestionnaireResponse', 'Observation',
  'AdverseEvent',
]);

const CLINIC_PREFIX = `${KAP_CANONICAL}/clinic/`;

function fail(code: 'invalid' | 'required', text: string, expression: string): never {
  throw new OperationOutcomeError(outcome([issue('error', code, text, expression)]));
}

/** The clinic id named by our identifier systems: Bundle.identifier first, then any resource's. */
function clinicIdFrom(bundle: Bundle, index: BundleIndex): string | undefined {
  const systems = [bundle.identifier?.system];
  for (const e of index.entries) {
    const ids = (e.resource as { identifier?: { system?: string } | { system?: string }[] }).identifier;
    for (const i of Array.isArray(ids) ? ids : ids ? [ids] : []) {
      systems.push(i.system);
    }
  }
  const system = systems.find((s) => s?.startsWith(CLINIC_PREFIX) && s.length > CLINIC_PREFIX.length);
  return system?.slice(CLINIC_PREFIX.length);
}

/** The one entry of a type that the episode uses; the others of that type are left for "unrelated". */
function pick<T extends Resource>(candidates: IndexedEntry<T>[], preferred: IndexedEntry | undefined): IndexedEntry<T> | undefined {
  return candidates.find((c) => c === preferred) ?? candidates[0];
}

/** The time the episode was last updated: our Provenance, else the Bundle's or EpisodeOfCare's timestamps. */
function updatedAt(bundle: Bundle, index: BundleIndex, episode: IndexedEntry, ctx: UnmapContext): string | undefined {
  for (const e of index.ofType('Provenance')) {
    if (isDerived(e.resource, ctx) && (e.resource.target ?? []).some((t) => index.resolve(t) === episode)) {
      return e.resource.recorded;
    }
  }
  return episode.resource.meta?.lastUpdated ?? bundle.timestamp ?? bundle.meta?.lastUpdated;
}

/**
 * Maps a FHIR Bundle back to a KAP episode.
 * @param input - a Bundle (transaction, searchset, collection, …) holding one KAP episode
 * @returns the episode and what was ignored
 * @throws OperationOutcomeError when the input is not a Bundle, lacks a Patient or EpisodeOfCare, or what
 *   can be recovered is not a valid episode (issues name KAP fields, never values)
 */
export function unmapBundle(input: unknown): UnmapResult {
  if (typeof input !== 'object' || input === null || (input as Resource).resourceType !== 'Bundle') {
    fail('invalid', 'The input is not a FHIR Bundle', 'Bundle');
  }
  try {
    return unmapBundleOf(input as Bundle);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      throw err;
    }
    // last resort for a shape no reader expected (e.g. an object where FHIR has an array): refuse, naming no value
    return fail('invalid', 'The Bundle has an element of an unexpected shape', 'Bundle');
  }
}

/** The way back of a Bundle (see {@link unmapBundle}). */
function unmapBundleOf(input: Bundle): UnmapResult {
  const bundle = input as Bundle;
  const index = new SafeBundleIndex(bundle);
  const clinicId = clinicIdFrom(bundle, index);
  const ctx: UnmapContext = {
    index,
    clinicSystem: clinicId !== undefined ? clinicIdentifierSystem(clinicId) : '',
    ignored: new IgnoredList(),
    used: new Set(),
  };

  const episodes = index.ofType('EpisodeOfCare') as IndexedEntry<EpisodeOfCare>[];
  const ours = episodes.find((e) => ownIdentifier(e.resource, ctx) !== undefined);
  const episodeEntry = pick(episodes, ours);
  if (!episodeEntry) {
    fail('required', 'The Bundle has no EpisodeOfCare', 'Bundle.entry.resource.ofType(EpisodeOfCare)');
  }
  const patients = index.ofType('Patient') as IndexedEntry<Patient>[];
  const patientEntry = pick(patients, index.resolve(episodeEntry.resource.patient));
  if (!patientEntry) {
    fail('required', 'The Bundle has no Patient', 'Bundle.entry.resource.ofType(Patient)');
  }
  use(ctx, episodeEntry);
  use(ctx, patientEntry);
  const ep = fromEpisodeOfCare(episodeEntry, ctx);
  const patient = fromPatient(patientEntry, ctx);

  const orgs = index.ofType('Organization') as IndexedEntry<Organization>[];
  const orgEntry = pick(orgs, index.resolve(episodeEntry.resource.managingOrganization));
  const clinic = orgEntry ? fromOrganization(orgEntry, ctx) : {};
  if (orgEntry) {
    use(ctx, orgEntry);
  }
  if (clinicId !== undefined && (clinic.id === undefined || ownIdentifier(orgEntry?.resource as Resource, ctx) === undefined)) {
    clinic.id = clinicId;
  }

  // care team: the EpisodeOfCare's team, else the one CareTeam of the Bundle
  const teams = index.ofType('CareTeam') as IndexedEntry<CareTeam>[];
  const teamEntry = pick(teams, ep.teams.map((t) => index.resolve(t)).find((t) => t !== undefined));
  if (teamEntry) {
    use(ctx, teamEntry);
  }
  const practitioners = index.ofType('Practitioner') as IndexedEntry<Practitioner>[];
  const careTeam = fromCareTeam(teamEntry, practitioners, ctx);
  practitioners.forEach((p) => use(ctx, p));
  const memberIds = new Set(careTeam.map((m) => m.id));

  // indications: the EpisodeOfCare's diagnoses in rank order, then other Conditions of the patient
  const conditions = index.ofType('Condition') as IndexedEntry<Condition>[];
  const ranked = ep.diagnoses
    .map((r) => index.resolve(r))
    .filter((e): e is IndexedEntry<Condition> => e?.resource.resourceType === 'Condition');
  const others = conditions.filter((c) => !ranked.includes(c) && index.resolve(c.resource.subject) === patientEntry);
  const indications: Indication[] = [];
  for (const c of [...new Set([...ranked, ...others])]) {
    use(ctx, c);
    const ind = fromCondition(c, ctx);
    if (ind && indications.some((x) => x.id === ind.id)) {
      ignore(ctx, c, '', 'duplicate');
    } else if (ind) {
      indications.push(ind);
    }
  }

  const prescriptions: Prescription[] = [];
  for (const e of index.ofType('MedicationRequest') as IndexedEntry<MedicationRequest>[]) {
    if (index.resolve(e.resource.subject) !== patientEntry) {
      continue;
    }
    use(ctx, e);
    const rx = fromMedicationRequest(e, ctx, memberIds);
    if (rx && prescriptions.some((x) => x.id === rx.id)) {
      ignore(ctx, e, '', 'duplicate');
    } else if (rx) {
      prescriptions.push(rx);
    }
  }
  prescriptions.sort((a, b) => byTimeThenId({ time: a.authoredOn, id: a.id }, { time: b.authoredOn, id: b.id }));

  const { sessions, byEncounter } = fromSessions(ctx, {
    episode: episodeEntry,
    patient: patientEntry,
    memberIds,
    prescriptionIds: new Set(prescriptions.map((p) => p.id)),
  });

  const questionnaires: QuestionnaireResult[] = [];
  for (const e of index.ofType('QuestionnaireResponse') as IndexedEntry<QuestionnaireResponse>[]) {
    if (index.resolve(e.resource.subject) !== patientEntry || isDerived(e.resource, ctx)) {
      continue; // another patient's, or the Spravato REMS record (derived from the session)
    }
    use(ctx, e);
    const q = fromQuestionnaireResponse(e, ctx);
    if (!q || questionnaires.some((x) => x.id === q.id)) {
      if (q) {
        ignore(ctx, e, '', 'duplicate');
      }
      continue;
    }
    const encounter = index.resolve(e.resource.encounter);
    const sessionId = encounter ? byEncounter.get(encounter) : undefined;
    if (sessionId === undefined && e.resource.encounter !== undefined) {
      ignore(ctx, e, 'encounter', 'unresolved-reference');
    }
    questionnaires.push({ ...q, ...(sessionId !== undefined ? { sessionId } : {}) });
  }
  questionnaires.sort((a, b) => byTimeThenId({ time: a.authored, id: a.id }, { time: b.authored, id: b.id }));

  // everything not read: derived (skipped), another KAP resource not tied to the episode, or unknown
  for (const e of index.entries) {
    if (ctx.used.has(e) || isDerived(e.resource, ctx)) {
      continue;
    }
    ignore(ctx, e, '', KAP_TYPES.has(e.resource.resourceType) ? 'unrelated' : 'unsupported-resource');
  }

  let version = ep.version;
  if (version === undefined) {
    const fromBundle = /-v(\d+)$/.exec(bundle.identifier?.value ?? '')?.[1];
    version = fromBundle !== undefined ? Number(fromBundle) : 1;
    if (fromBundle === undefined) {
      ignore(ctx, episodeEntry, 'extension', 'defaulted');
    }
  }

  const draft = {
    id: ep.id,
    version,
    updatedAt: updatedAt(bundle, index, episodeEntry, ctx),
    status: ep.status,
    period: ep.period,
    clinic,
    patient,
    indications,
    careTeam,
    prescriptions,
    sessions,
    questionnaires,
  };
  const parsed = kapEpisodeSchema.safeParse(draft);
  if (!parsed.success) {
    throw new OperationOutcomeError(invalidSubmission(parsed.error));
  }
  return { episode: parsed.data, ignored: ctx.ignored.items };
}
