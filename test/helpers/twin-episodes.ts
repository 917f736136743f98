/**
 * Two episodes of one clinic that reuse every record id (sessions, vitals, questionnaires, prescriptions,
 * indications, side effects, practitioners) and differ only in episode and patient: the data-integrity
 * case of issue 10. `expectIsolated` checks, at any FHIR server reachable through `FhirLookup`, that each
 * patient keeps every one of its own records, once, pointing at itself.
 */
import { expect } from '@jest/globals';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { parseIdentifierValue } from '../../src/identity/record-identity.js';
import { parseEpisode, type KapEpisode } from '../../src/kap/index.js';
import { mapClinicEpisode } from '../../src/pipeline/map-clinic-episode.js';
import { clinicIdentifierSystem } from '../../src/terminology/systems.js';

/** Looks resources up at a FHIR server by type and business identifier `system|value`. */
export interface FhirLookup {
  byIdentifier(resourceType: string, token: string): Promise<Resource[]>;
}

/**
 * The twin of an episode: same record ids, another episode id, another patient (id, name, birth date).
 * @param episode - a valid KAP episode (JSON)
 * @param suffix - appended to the episode and patient ids (keep ids within 64 characters)
 */
export function twinOf(episode: Record<string, unknown>, suffix: string): Record<string, unknown> {
  const copy = structuredClone(episode) as Record<string, unknown> & { id: string; patient: Record<string, unknown> & { id: string } };
  copy.id = `${copy.id.slice(0, 60 - suffix.length)}-${suffix}`;
  copy.patient = {
    ...copy.patient,
    id: `${copy.patient.id.slice(0, 60 - suffix.length)}-${suffix}`,
    name: { given: ['Twin'], family: `Testperson${suffix.replace(/[^A-Za-z]/g, '')}` },
  };
  const identifiers = copy.patient.identifiers as { value: string }[] | undefined;
  if (identifiers) {
    copy.patient.identifiers = identifiers.map((i) => ({ ...i, value: `${i.value}-${suffix}` }));
  }
  return copy;
}

/** The Bundle the EHR receives for an episode of a clinic (the service's own mapping, signals included). */
export function ehrBundleOf(episode: Record<string, unknown>, clinicId: string): Bundle {
  const parsed = parseEpisode(episode);
  if (!parsed.ok) {
    throw new Error(`test setup: invalid episode (${JSON.stringify(parsed.outcome.issue?.map((i) => i.expression))})`);
  }
  return mapClinicEpisode(parsed.episode, clinicId).bundle;
}

/** The patient a resource points at (subject or patient), as written at the server. */
function patientOf(resource: Resource): string | undefined {
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  return resource.resourceType === 'Patient' ? `Patient/${resource.id}` : (r.subject?.reference ?? r.patient?.reference);
}

/** The business identifier `system|value` of a mapped resource. */
function tokenOf(resource: Resource): string | undefined {
  const raw = (resource as { identifier?: { system?: string; value?: string } | { system?: string; value?: string }[] }).identifier;
  const id = Array.isArray(raw) ? raw[0] : raw;
  return id?.system && id.value ? `${id.system}|${id.value}` : undefined;
}

/** One record of an episode and where it was found. */
export interface FoundRecord {
  resourceType: string;
  token: string;
  found: number;
  /** `Patient/<server id>` the record points at, when it names a patient. */
  patient?: string;
}

/**
 * Every record the EHR Bundle of the episode carries, looked up at the server by its business identifier.
 * @param lookup - the server
 * @param episode - the episode (JSON)
 * @param clinicId - the clinic
 * @param types - the resource types to check (default: every type with an identifier)
 */
export async function recordsAtServer(
  lookup: FhirLookup,
  episode: Record<string, unknown>,
  clinicId: string,
  types?: readonly string[]
): Promise<{ patient: string | undefined; records: FoundRecord[] }> {
  const bundle = ehrBundleOf(episode, clinicId);
  const patientToken = `${clinicIdentifierSystem(clinicId)}|${(episode as { patient: { id: string } }).patient.id}`;
  const patients = await lookup.byIdentifier('Patient', patientToken);
  const records: FoundRecord[] = [];
  for (const e of bundle.entry ?? []) {
    const r = e.resource as Resource;
    const token = tokenOf(r);
    if (!token || (types && !types.includes(r.resourceType))) {
      continue;
    }
    const found = await lookup.byIdentifier(r.resourceType, token);
    records.push({ resourceType: r.resourceType, token, found: found.length, patient: found.length === 1 ? patientOf(found[0]) : undefined });
  }
  return { patient: patients.length === 1 ? `Patient/${patients[0].id}` : undefined, records };
}

/** Resource types whose records belong to one patient (they name it in subject / patient). */
const PATIENT_RECORDS = new Set([
  'Patient', 'EpisodeOfCare', 'CareTeam', 'Condition', 'Encounter', 'Procedure', 'MedicationRequest', 'MedicationAdministration',
  'Observation', 'QuestionnaireResponse', 'AdverseEvent', 'DetectedIssue', 'Communication',
]);

/**
 * Asserts that two twin episodes are isolated at the server: each record of each found exactly once,
 * and every patient record pointing at its own patient (never the twin's); the twins share only clinic
 * records (Organization, Practitioner).
 * @param lookup - the server
 * @param episodes - the twins (JSON)
 * @param clinicId - their clinic
 * @param types - the resource types to check (default: all)
 */
export async function expectIsolated(
  lookup: FhirLookup,
  episodes: Record<string, unknown>[],
  clinicId: string,
  types?: readonly string[]
): Promise<void> {
  const seen = new Map<string, string>();
  for (const episode of episodes) {
    const { patient, records } = await recordsAtServer(lookup, episode, clinicId, types);
    expect(patient).toBeDefined();
    const missing = records.filter((r) => r.found !== 1).map((r) => `${r.resourceType} ${parseIdentifierValue(r.token.split('|')[1]).localId}: ${r.found}`);
    expect(missing).toEqual([]);
    const elsewhere = records
      .filter((r) => PATIENT_RECORDS.has(r.resourceType) && r.patient !== patient)
      .map((r) => `${r.resourceType} ${r.token}`);
    expect(elsewhere).toEqual([]);
    for (const r of records.filter((x) => PATIENT_RECORDS.has(x.resourceType))) {
      const owner = seen.get(`${r.resourceType}|${r.token}`);
      expect(owner === undefined || owner === patient).toBe(true);
      seen.set(`${r.resourceType}|${r.token}`, patient as string);
    }
  }
}

/** Parsed form of an episode (for ids). */
export function parsedEpisode(episode: Record<string, unknown>): KapEpisode {
  const parsed = parseEpisode(episode);
  if (!parsed.ok) {
    throw new Error('test setup: invalid episode');
  }
  return parsed.episode;
}
